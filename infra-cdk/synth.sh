#!/usr/bin/env bash
# Synthesises the Waybill CDK app into infra-cdk/cdk.out (CloudFormation template + staged jars), offline: no AWS
# account, no lookups. Extra arguments go to `cdk synth`, e.g. ./synth.sh -c stage=prod -c shardCount=4.
# Installs the pinned CDK CLI (package-lock.json) if needed and builds the jars the app deploys if they are missing
# (WAYBILL_SYNTH_BUILD=1 rebuilds them anyway). ./waybill synth calls this script.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
export CDK_DISABLE_CLI_TELEMETRY=true
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
export CDK_DISABLE_VERSION_CHECK=true
# Without credentials the CLI would probe the EC2 metadata endpoint for an account; synth does not need one.
export AWS_EC2_METADATA_DISABLED="${AWS_EC2_METADATA_DISABLED:-true}"

command -v node >/dev/null 2>&1 || { echo "synth: Node.js 20 is required" >&2; exit 1; }
command -v mvn >/dev/null 2>&1 || { echo "synth: Maven is required" >&2; exit 1; }

cd "$HERE"
if [ ! -x node_modules/.bin/cdk ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "synth: installing the pinned CDK CLI (npm ci in infra-cdk/)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

# The deployed jars: built with the modules they need when missing (or when WAYBILL_SYNTH_BUILD=1).
jars_missing=""
ls "$ROOT"/functions/ingest/target/waybill-ingest-*-lambda.jar >/dev/null 2>&1 || jars_missing="$jars_missing ingest"
ls "$ROOT"/functions/coldchain/target/waybill-coldchain-*-lambda.jar >/dev/null 2>&1 || jars_missing="$jars_missing coldchain"
ls "$ROOT"/functions/kpi/target/waybill-kpi-*-lambda.jar >/dev/null 2>&1 || jars_missing="$jars_missing kpi"
[ -f "$ROOT/edge-greengrass/target/waybill-edge.jar" ] || jars_missing="$jars_missing edge"
if [ -n "$jars_missing" ] || [ "${WAYBILL_SYNTH_BUILD:-0}" = "1" ]; then
  echo "synth: building the deployed jars and the app (missing:${jars_missing:- none, rebuild forced})" >&2
  (cd "$ROOT" && mvn -B -q -Dstyle.color=never install -DskipTests -pl infra-cdk -am >&2)
else
  # The app alone: when its classes or classpath are missing or older than its sources.
  newest_class="$(ls -t target/classes/io/waybill/infra/*.class 2>/dev/null | head -1 || true)"
  if [ -z "$newest_class" ] || ! ls target/dependency/aws-cdk-lib-*.jar >/dev/null 2>&1 \
     || [ -n "$(find src/main pom.xml -newer "$newest_class" -type f | head -1)" ]; then
    echo "synth: building the app (infra-cdk)" >&2
    (cd "$ROOT" && mvn -B -q -Dstyle.color=never package -DskipTests -pl infra-cdk >&2)
  fi
fi

rm -rf cdk.out
npx --no cdk synth --no-notices -o cdk.out "$@" >/dev/null
echo "synth: wrote $(ls cdk.out/*.template.json | sed "s|^|infra-cdk/|" | tr '\n' ' ')" >&2
