#!/usr/bin/env bash
# Mail this week's Customer Success Plan (markdown) to yourself.
#   examples/mail-plan.sh you@example.com
# Uses the system's `mail` (bsd-mailx or mailutils); any MTA that reads stdin works.
set -euo pipefail
to=${1:?usage: mail-plan.sh ADDRESS}
plan=$(csf report plan --days 7)
subject="Customer Success Plan, week of $(date +%F)"
printf '%s\n' "$plan" | mail -s "$subject" "$to"
