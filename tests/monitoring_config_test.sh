#!/usr/bin/env bash
# The monitoring stack's configuration, checked by the tools that will run it:
#   promtool check config / check rules / test rules (every alert fires and stays silent: tests/alerts_test.yml)
#   amtool check-config deploy/alertmanager/alertmanager.yml
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in promtool amtool; do
  command -v "$tool" >/dev/null || { echo "$tool not installed (scripts/setup installs it)"; exit 77; }
done
promtool check config deploy/prometheus/prometheus.yml
promtool check rules deploy/prometheus/rules/*.yml
promtool test rules deploy/prometheus/tests/alerts_test.yml
amtool check-config deploy/alertmanager/alertmanager.yml
# Every alert defined has a unit test.
for alert in $(grep -o 'alert: *[A-Za-z0-9]*' deploy/prometheus/rules/alerts.yml | sed 's/alert: *//'); do
  grep -q "alertname: $alert\$" deploy/prometheus/tests/alerts_test.yml || { echo "no promtool test for $alert" >&2; exit 1; }
done
echo "monitoring_config_test: all passed"
