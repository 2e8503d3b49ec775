#!/bin/sh
# Restores a dump made by scripts/backup.sh into a database, which must be new and empty (create it first:
# createdb -O hocvuso hocvuso_restored). Never restores over a live database by accident.
#   DATABASE_URL=postgres://.../hocvuso_restored scripts/restore.sh /var/backups/hocvuso/hocvuso-20260601-0200.dump [media.tar.gz]
set -eu
: "${DATABASE_URL:?Cần DATABASE_URL của cơ sở dữ liệu mới, còn trống}"
DUMP=${1:?Cần đường dẫn tệp .dump}
TABLES=$(psql "$DATABASE_URL" -At -c "select count(*) from information_schema.tables where table_schema = 'public'")
if [ "$TABLES" != "0" ]; then
  echo "Cơ sở dữ liệu đích đã có $TABLES bảng: hãy khôi phục vào một cơ sở dữ liệu mới, trống." >&2
  exit 1
fi
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$DATABASE_URL" "$DUMP"
if [ -n "${2:-}" ]; then
  : "${MEDIA_ROOT:?Cần MEDIA_ROOT để giải nén tệp media}"
  mkdir -p "$MEDIA_ROOT"
  tar -xzf "$2" -C "$MEDIA_ROOT"
fi
echo "Đã khôi phục $DUMP"
