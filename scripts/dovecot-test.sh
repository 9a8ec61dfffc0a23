#!/bin/sh
# A throwaway Dovecot IMAP server for the email tests: 127.0.0.1, a free port, one test
# user with a Maildir under a temporary directory, no TLS, plain-text login allowed.
#
#   scripts/dovecot-test.sh start [noidle]   prints shell assignments (eval them); with
#                                            "noidle" the server does not offer IDLE, so
#                                            clients must poll at their interval:
#       DOVECOT_DIR=... DOVECOT_PORT=... DOVECOT_USER=... DOVECOT_PASSWORD=...
#   scripts/dovecot-test.sh stop DOVECOT_DIR stops it and removes the directory.
#
# Works as an unprivileged user (everything runs as that user) and as root (the
# services then run as Debian's dovecot/dovenull users, which own the directory).
# Needs the Debian package dovecot-imapd (/usr/sbin/dovecot).
set -eu

DOVECOT=${DOVECOT:-/usr/sbin/dovecot}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  mode=${1:-}
  [ -x "$DOVECOT" ] || { echo "dovecot not found at $DOVECOT (apt-get install dovecot-imapd)" >&2; exit 2; }
  dir=$(mktemp -d "${TMPDIR:-/tmp}/rapport-dovecot.XXXXXX")
  port=$(free_port)
  user=support
  password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
  if [ "$(id -u)" = 0 ]; then
    internal=dovecot login=dovenull mailuser=dovecot
  else
    internal=$(id -un) login=$(id -un) mailuser=$(id -un)
  fi
  uid=$(id -u "$mailuser") gid=$(id -g "$mailuser")
  mkdir -p "$dir/run" "$dir/home/$user/Maildir/cur" "$dir/home/$user/Maildir/new" "$dir/home/$user/Maildir/tmp"
  printf '%s:{PLAIN}%s:%s:%s::%s/home/%s\n' "$user" "$password" "$uid" "$gid" "$dir" "$user" > "$dir/passwd"
  cat > "$dir/dovecot.conf" <<CONF
base_dir = $dir/run
state_dir = $dir/run
log_path = $dir/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = $internal
default_internal_group = $(id -gn "$internal")
default_login_user = $login
first_valid_uid = 0
mail_location = maildir:~/Maildir
mail_privileged_group =
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dir/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u $dir/passwd
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Processed {
    auto = create
  }
}
CONF
  if [ "$mode" = noidle ]; then
    # Dovecot 2.3's capabilities without IDLE (and NOTIFY, which implies it).
    echo "imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE SORT UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED CONDSTORE ESEARCH LIST-STATUS BINARY MOVE SPECIAL-USE LITERAL+" >> "$dir/dovecot.conf"
  fi
  if [ "$(id -u)" = 0 ]; then chown -R "$mailuser" "$dir/home" && chmod 755 "$dir"; fi
  "$DOVECOT" -c "$dir/dovecot.conf" </dev/null >/dev/null 2>&1
  i=0
  until python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $port), 1).close()" 2>/dev/null; do
    i=$((i + 1))
    if [ $i -gt 100 ]; then cat "$dir/dovecot.log" >&2 || true; exit 1; fi
    sleep 0.1
  done
  echo "DOVECOT_DIR=$dir DOVECOT_PORT=$port DOVECOT_USER=$user DOVECOT_PASSWORD=$password"
}

stop() {
  dir=${1:?usage: dovecot-test.sh stop DOVECOT_DIR}
  case "$dir" in */rapport-dovecot.*) ;; *) echo "refusing to remove $dir" >&2; exit 2 ;; esac
  if [ -f "$dir/run/master.pid" ]; then
    pid=$(cat "$dir/run/master.pid")
    kill "$pid" 2>/dev/null || true
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do i=$((i + 1)); sleep 0.1; done
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start [noidle] | stop DOVECOT_DIR" >&2; exit 2 ;;
esac
