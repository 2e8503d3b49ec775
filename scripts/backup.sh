#!/bin/sh
# Backs up the database (pg_dump, custom format: compressed, restorable table by table) and the media files.
#   DATABASE_URL=postgres://... MEDIA_ROOT=/srv/hocvuso/media scripts/backup.sh [/var/backups/hocvuso]
# Prints the two files it wrote. Keep copies off the server (see docs/deploy.md, "Sao lưu").
set -eu
: "${DATABASE_URL:?Cần DATABASE_URL, ví dụ postgres://hocvuso@127.0.0.1:5432/hocvuso}"
DEST=${1:-${BACKUP_DIR:-./backups}}
STAMP=$(date +%Y%m%d-%H%M%S)
mkdir -p "$DEST"
umask 077  # the dump holds residents' personal data
DUMP="$DEST/hocvuso-$STAMP.dump"
pg_dump --format=custom --no-owner --no-privileges --file="$DUMP" "$DATABASE_URL"
echo "$DUMP"
if [ -n "${MEDIA_ROOT:-}" ] && [ -d "$MEDIA_ROOT" ]; then
  MEDIA="$DEST/hocvuso-media-$STAMP.tar.gz"
  tar -czf "$MEDIA" -C "$MEDIA_ROOT" .
  echo "$MEDIA"
fi
