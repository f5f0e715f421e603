"""simheat after every training run, as an Airflow DAG.

Copy this file into the DAGs folder, next to nothing else: it reads simheat's Spark settings from
conf/spark-defaults.conf (SIMHEAT_HOME, default /opt/simheat) so the JDK 17 module flags are
written in one place. It needs the Apache Spark provider (apache-airflow-providers-apache-spark)
and a Spark connection, `spark_simheat`, whose host is the master (spark://host:7077, yarn or
k8s://https://…) and whose extras set the deploy mode.

The training pipeline triggers it with the checkpoint to compute:

    airflow dags trigger simheat_recompute --conf '{"checkpoint": "hdfs:///models/bert/step-42000"}'

or it runs hourly on the newest checkpoint. Repeats are free: an unchanged checkpoint is
"up to date" and writes nothing; a compute that finds another one writing the same output exits
75, and Airflow retries it after five minutes.
"""

import os
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

SIMHEAT_HOME = os.environ.get("SIMHEAT_HOME", "/opt/simheat")
CHECKPOINT = "{{ dag_run.conf.get('checkpoint', params.checkpoint) if dag_run else params.checkpoint }}"


def spark_defaults(path):
    """The key/value pairs of a spark-defaults.conf file (comments and blank lines skipped)."""
    conf = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                key, _, value = line.partition(" ")
                conf[key] = value.strip()
    return conf


with DAG(
    dag_id="simheat_recompute",
    description="Vocabulary similarity heatmaps of the newest checkpoint",
    start_date=datetime(2026, 1, 1),
    schedule="@hourly",
    catchup=False,
    max_active_runs=1,
    params={"checkpoint": "hdfs:///models/bert/current"},
    default_args={"retries": 3, "retry_delay": timedelta(minutes=5)},
    tags=["simheat"],
) as dag:
    SparkSubmitOperator(
        task_id="compute",
        conn_id="spark_simheat",
        name="simheat compute",
        application=f"{SIMHEAT_HOME}/spark-jobs/target/simheat-spark-jobs.jar",
        java_class="org.simheat.jobs.Main",
        conf=spark_defaults(f"{SIMHEAT_HOME}/conf/spark-defaults.conf"),
        application_args=[
            "compute",
            "--input", CHECKPOINT + "/model.safetensors",
            "--tensor", "bert.embeddings.word_embeddings.weight",
            "--vocab", CHECKPOINT + "/tokenizer.json",
            "--out", "hdfs:///simheat/bert",
            "--metrics", "cosine,dot",
            "--order", "cluster",
            "--order-from", "latest",
            "--keep", "50",
        ],
    )
