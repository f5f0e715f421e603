#!/usr/bin/env bash
# Example: compute a Hugging Face checkpoint's vocabulary on a Spark cluster.
#   MASTER=spark://host:7077 conf/submit-cluster.sh hdfs:///models/bert/model.safetensors \
#     hdfs:///models/bert/tokenizer.json hdfs:///simheat/bert
# Needs SPARK_HOME (a Spark 4.1 distribution, Scala 2.13) and the jar from `mvn package`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
input="$1"; vocab="$2"; out="$3"
"${SPARK_HOME:?set SPARK_HOME}/bin/spark-submit" \
  --master "${MASTER:-yarn}" \
  --deploy-mode "${DEPLOY_MODE:-client}" \
  --properties-file "$here/spark-defaults.conf" \
  --class org.simheat.jobs.Main \
  "$here/../spark-jobs/target/simheat-spark-jobs.jar" \
  compute --input "$input" --tensor "${TENSOR:-bert.embeddings.word_embeddings.weight}" \
  --vocab "$vocab" --out "$out" --metrics "${METRICS:-cosine}"
