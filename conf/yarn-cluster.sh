#!/usr/bin/env bash
# simheat on YARN in cluster deploy mode: the driver runs in the application master, so the
# command returns when the job ends (spark.yarn.submit.waitAppCompletion, on by default) with the
# job's exit status. Inputs and the output live on HDFS (or any file system the cluster reaches).
#
#   SPARK_HOME=/opt/spark-4.1.0 conf/yarn-cluster.sh
#
# Needs a Spark 4.1 (Scala 2.13) distribution built with YARN support, HADOOP_CONF_DIR pointing at
# the cluster's configuration, and the jar from `mvn package`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"${SPARK_HOME:?set SPARK_HOME}/bin/spark-submit" \
  --master yarn \
  --deploy-mode cluster \
  --queue "${QUEUE:-default}" \
  --name "simheat compute" \
  --properties-file "$here/spark-defaults.conf" \
  --num-executors "${EXECUTORS:-8}" \
  --class org.simheat.jobs.Main \
  "$here/../spark-jobs/target/simheat-spark-jobs.jar" \
  compute \
  --input hdfs:///models/bert/model.safetensors \
  --tensor bert.embeddings.word_embeddings.weight \
  --vocab hdfs:///models/bert/tokenizer.json \
  --out hdfs:///simheat/bert \
  --metrics cosine,dot \
  --order cluster \
  --order-from latest \
  --keep 20
