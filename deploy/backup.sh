#!/bin/sh
# A Partnernet backup into a new dated folder under $BACKUP_ROOT, then the folders older than
# $BACKUP_KEEP_DAYS pruned (only complete ones count: a folder with a manifest.json), then an
# optional off-site copy with rclone to $BACKUP_OFFSITE. Run by partnernet-backup.service;
# by hand: `sudo -u partnernet env $(cat /etc/partnernet/env | xargs) deploy/backup.sh`.
set -eu

BACKUP_ROOT=${BACKUP_ROOT:-/var/backups/partnernet}
BACKUP_KEEP_DAYS=${BACKUP_KEEP_DAYS:-14}
BACKUP_OFFSITE=${BACKUP_OFFSITE:-}
PARTNERNET=${PARTNERNET:-/srv/partnernet/.venv/bin/partnernet}

umask 077
folder="$BACKUP_ROOT/$(date -u +%Y-%m-%dT%H%M%SZ)"
mkdir -p "$BACKUP_ROOT"
"$PARTNERNET" backup "$folder"
test -f "$folder/manifest.json"

# Retention: a backup is removed only when a newer complete one exists (this one).
find "$BACKUP_ROOT" -mindepth 1 -maxdepth 1 -type d -mtime +"$BACKUP_KEEP_DAYS" \
    ! -path "$folder" -exec rm -rf {} +

if [ -n "$BACKUP_OFFSITE" ]; then
    rclone copy --immutable "$folder" "$BACKUP_OFFSITE/$(basename "$folder")"
fi
