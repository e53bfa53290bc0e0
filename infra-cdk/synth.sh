#!/usr/bin/env bash
# Synthesises the Waybill CDK app into infra-cdk/cdk.out (CloudFormation template + staged jars), offline: no AWS
# account, no lookups. Options: -c/--context key=value (passed to `cdk synth`), -h/--help; anything else is refused
# with the usage (exit 2). A bad context value is one line on stderr, exit 2.
# Installs the pinned CDK CLI (package-lock.json) if needed and builds the jars the app deploys (ingest, cold chain, KPI, device provisioning hook, edge) if they are missing
# (WAYBILL_SYNTH_BUILD=1 rebuilds them anyway). ./waybill synth calls this script.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: ./waybill synth [-c key=value]...      (or infra-cdk/synth.sh)

Synthesises the Waybill CDK app for one stage into infra-cdk/cdk.out: the CloudFormation template
Waybill-<stage>.template.json, the staged jars and the cdk-nag report. Offline: no AWS account is needed.
Installs the pinned CDK CLI (npm ci in infra-cdk/) and builds the deployed jars first when they are missing
(WAYBILL_SYNTH_BUILD=1 rebuilds them).

Options
  -c, --context key=value   a context key of the app (repeatable), passed to cdk synth
  -h, --help                this text

Context keys (infra-cdk/README.md has the details)
  stage                         stack Waybill-<stage>, names waybill-<stage>-...; [a-z][a-z0-9-]{0,19}; default dev
  shardCount                    provisioned stream shards; absent = on-demand
  retentionHours                telemetry stream retention, 24 to 8760; default 168 (a week)
  canonicalStreamShards         provisioned canonical event stream shards; absent = on-demand
  alarmEmail                    address subscribed to the alarm topic; absent = none
  thingGroupName                existing thing group for the edge deployment; absent = the stack creates waybill-<stage>-edge
  parallelizationFactor         concurrent batches per shard of the ingest mapping, 1 to 10; default 1
  retainData                    keep tables, archive and dead-letter buckets and their keys on stack deletion; default true
  productClass                  default class of unplanned shipments: vaccines-2-8, chilled-biologics-2-8 (default), ambient-pharma-15-25, frozen or a class of productClasses
  productClasses                product class catalog file (JSON, relative to infra-cdk/ or absolute) for the cold chain and the edge; at most 3072 bytes minified; absent = the presets
  breachAlarmThreshold          incidents opened within an hour that page; default 3
  exceptionAgeAlarmHours        hours an incident may stay open before it pages, 1 to 168; default 4
  kpiScheduleMinutes            minutes between KPI runs, 5 to 1440; default 15
  breachConfirmSeconds          seconds a breach must hold before it is acted on, 0 to 3600; default 120
  breachConfirmScheduleMinutes  minutes between breach confirmer runs, 1 to 60; default 1
  iteratorAgeAlarmMinutes       minutes a stream consumer may fall behind before it pages, 1 to 720; default 15
  rawArchiveExpiryDays          days a raw archive object is kept, 91 to 3650; default 400
  apiThrottleBurst              ops API burst limit (requests), 1 to 10000; default 50
  apiThrottleRate               ops API steady rate limit (requests per second), 1 to 10000; default 25
  legacyIdCutover               when id scheme 2 was deployed on a stage with scheme-1 events (e.g. 2026-12-02T19:00:00Z); absent = none
  unassignedPolicy              a device's event about a shipment it is not assigned to: reject (default, dead-lettered) or flag (stored, flagged)
  replayWindow                  signature sequence reordering window per device key; absent = ingest's default (65536)
  importRetainedData            true: only the retained tables, buckets and keys, for cdk import after a destroy
  anchoring                     provenance anchoring section, a JSON object: {"chain":"none|rpc|amb", "rpcUrl", "chainId", "registry", ...}; absent = none (README)
  forecasting                   demand forecasting section, a JSON object: {"memoryMb":2048, "maxConcurrency":5, "schedule":"cron(0 2 * * ? *)", ...}; {} = every default; absent = none (README)
  partners                      partner exchange section, a JSON object: {"archiveRetentionDays":30, "<partner-id>":{"accounts":["111122223333"], "endpoint", "connectionSecretArn", ...}}; {} = bus without partners; absent = none (README)
  repoRoot                      repository root; default: found from the working directory
An unknown key (e.g. shardcount) is an error naming the known ones.

Examples
  ./waybill synth -c stage=prod -c alarmEmail=ops@example.com -c shardCount=4
USAGE
}

cdk_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help)
      usage
      exit 0
      ;;
    -c|--context)
      if [ $# -lt 2 ] || [[ "$2" != *=* ]]; then
        echo "synth: $1 needs key=value, e.g. $1 stage=prod" >&2
        usage >&2
        exit 2
      fi
      cdk_args+=("$1" "$2")
      shift 2
      ;;
    --context=*=*)
      cdk_args+=("$1")
      shift
      ;;
    *)
      echo "synth: unknown option '$1' (only -c/--context key=value and --help)" >&2
      usage >&2
      exit 2
      ;;
  esac
done

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
  mkdir -p target
  npm ci --no-audit --no-fund --loglevel=error > target/npm-ci.log 2>&1 \
    || { cat target/npm-ci.log >&2; echo "synth: npm ci failed (log above, kept in infra-cdk/target/npm-ci.log)" >&2; exit 1; }
fi

# The deployed jars: built with the modules they need when missing (or when WAYBILL_SYNTH_BUILD=1); never built
# when WAYBILL_SYNTH_BUILD=0 (a reactor build made them, as in the infra-cdk tests).
if [ "${WAYBILL_SYNTH_BUILD:-}" != "0" ]; then
  jars_missing=""
  ls "$ROOT"/functions/ingest/target/waybill-ingest-*-lambda.jar >/dev/null 2>&1 || jars_missing="$jars_missing ingest"
  ls "$ROOT"/functions/coldchain/target/waybill-coldchain-*-lambda.jar >/dev/null 2>&1 || jars_missing="$jars_missing coldchain"
  ls "$ROOT"/functions/kpi/target/waybill-kpi-*-lambda.jar >/dev/null 2>&1 || jars_missing="$jars_missing kpi"
  ls "$ROOT"/functions/device-provisioning/target/waybill-device-provisioning-*-lambda.jar >/dev/null 2>&1 \
    || jars_missing="$jars_missing device-provisioning"
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
fi

rm -rf cdk.out
# The app reports a bad context as one line starting with "waybill synth: " (WaybillApp.ERROR_PREFIX) and exit code
# 2; that line alone is shown, not the CLI's report of a failed subprocess around it.
errors="$(mktemp)"
trap 'rm -f "$errors"' EXIT
if ! npx --no cdk synth --no-notices -o cdk.out ${cdk_args[@]+"${cdk_args[@]}"} >/dev/null 2>"$errors"; then
  user_error="$(grep -m1 '^waybill synth: ' "$errors" || true)"
  if [ -n "$user_error" ]; then
    echo "$user_error" >&2
    exit 2
  fi
  cat "$errors" >&2
  exit 1
fi
cat "$errors" >&2
echo "synth: wrote $(ls cdk.out/*.template.json | sed "s|^|infra-cdk/|" | tr '\n' ' ')" >&2
