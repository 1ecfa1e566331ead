#!/bin/sh
# install.sh: installs this ftpipe device package on a gateway, or upgrades it. Safe to run again:
# the program is replaced, the configuration the operator edited is kept.
#
#   /opt/ftpipe-device/                     bin/, lib/ (replaced), conf/ and systemd/ (examples)
#   /etc/ftpipe/device.json, device.env     only if absent; root:ftpipe 0640 (they may hold a password)
#   /var/lib/ftpipe/                        the service's working and state directory, ftpipe:ftpipe 0750
#   /etc/systemd/system/ftpipe-device.service   then daemon-reload, enable, and restart if it runs
#   user and group ftpipe                   a system account without login, created if absent
#
# Options: --dry-run       say what would be done, change nothing
#          --destdir DIR   install into DIR as if it were / (also DESTDIR=DIR), for images and
#                          tests: no user is created, nothing is chowned, systemctl is not run
set -eu
# Whatever root's umask: the program must be readable by the service's user, the config not by all.
umask 022

opt_dir=/opt/ftpipe-device
conf_dir=/etc/ftpipe
state_dir=/var/lib/ftpipe
unit_dir=/etc/systemd/system
unit=ftpipe-device.service
user=ftpipe

fail() {
    echo "install.sh: $*" >&2
    exit 1
}

usage() {
    sed -n '2,/^set -eu/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
}

dry_run=false
destdir=${DESTDIR:-}
while [ $# -gt 0 ]; do
    case $1 in
        --dry-run) dry_run=true ;;
        --destdir)
            [ $# -ge 2 ] || fail "--destdir needs a directory"
            destdir=$2
            shift
            ;;
        --destdir=*) destdir=${1#--destdir=} ;;
        -h | --help)
            usage
            exit 0
            ;;
        *) fail "unknown option '$1' (try --help)" ;;
    esac
    shift
done
# Only a real install touches the live system (users, ownership, systemctl).
live=true
[ -z "$destdir" ] || live=false
if [ -n "$destdir" ]; then
    case $destdir in
        /*) ;;
        *) destdir=$(pwd)/$destdir ;;
    esac
    destdir=${destdir%/}
fi

pkg=$(cd "$(dirname "$0")" && pwd -P)
if [ ! -x "$pkg/bin/ftpipe-device" ] || [ ! -f "$pkg/lib/ftpipe-device.jar" ]; then
    fail "$pkg does not look like an unpacked ftpipe-device package (no bin/ftpipe-device or lib/ftpipe-device.jar)"
fi

if $live && ! $dry_run && [ "$(id -u)" -ne 0 ]; then
    fail "run as root (sudo $0), or try --dry-run or --destdir DIR first"
fi

# run CMD...: does it, or under --dry-run says it would.
run() {
    if $dry_run; then
        echo "would run: $*"
    else
        "$@"
    fi
}

say() {
    echo "install.sh: $*"
}

# 1. The account the service runs as.
if $live; then
    if id "$user" >/dev/null 2>&1; then
        say "user $user exists"
    elif command -v useradd >/dev/null 2>&1; then
        run useradd --system --user-group --home-dir "$state_dir" --no-create-home \
            --shell /usr/sbin/nologin --comment "ftpipe device client" "$user"
    elif command -v adduser >/dev/null 2>&1; then
        # busybox
        run addgroup -S "$user"
        run adduser -S -D -H -h "$state_dir" -s /sbin/nologin -G "$user" "$user"
    else
        fail "cannot create user $user: neither useradd nor adduser is installed"
    fi
else
    say "--destdir: not creating user $user (create it on the target, see install.sh)"
fi

# 2. The program. lib/ is replaced as a whole, so jars of an older version do not linger.
target=$destdir$opt_dir
if [ -d "$target" ] && [ "$(cd "$target" && pwd -P)" = "$pkg" ]; then
    say "$target is this package; nothing to copy"
else
    say "installing the program into $target"
    run mkdir -p "$target"
    for part in bin lib conf systemd; do
        run rm -rf "$target/$part"
        run cp -R "$pkg/$part" "$target/$part"
    done
    run cp "$pkg/install.sh" "$target/install.sh"
    run chmod 0755 "$target/bin/ftpipe-device" "$target/install.sh"
fi

# 3. Configuration: installed once, never overwritten.
run mkdir -p "$destdir$conf_dir"
for file in device.json device.env; do
    dest=$destdir$conf_dir/$file
    if [ -e "$dest" ]; then
        say "keeping $dest"
    else
        say "installing $dest (edit it)"
        run install -m 0640 "$pkg/conf/$file" "$dest"
        if $live; then
            run chown "root:$user" "$dest"
        fi
    fi
done

# 4. The state and working directory (the unit's StateDirectory= would also create it).
run mkdir -p "$destdir$state_dir"
run chmod 0750 "$destdir$state_dir"
if $live; then
    run chown "$user:$user" "$destdir$state_dir"
fi

# 5. The unit: ours, so replaced; local changes belong in `systemctl edit ftpipe-device`.
run mkdir -p "$destdir$unit_dir"
run install -m 0644 "$pkg/systemd/$unit" "$destdir$unit_dir/$unit"
if $live && [ -d /run/systemd/system ]; then
    run systemctl daemon-reload
    run systemctl enable "$unit"
    # An upgrade takes effect now if the service runs; a first install waits for `start`.
    run systemctl try-restart "$unit"
elif $live; then
    say "systemd is not running here: enable the unit yourself (systemctl enable --now $unit)"
fi

# 6. Java: the service needs a Java 17+ (JAVA_HOME in device.env, else java on PATH).
if ! $live; then
    :
elif command -v java >/dev/null 2>&1 || grep -q '^JAVA_HOME=' "$conf_dir/device.env" 2>/dev/null; then
    :
else
    say "warning: no java on PATH; install a Java 17+ (apt-get install openjdk-17-jre-headless)" \
        "or set JAVA_HOME in $conf_dir/device.env"
fi

if $dry_run; then
    say "dry run: nothing was changed"
else
    say "done. Next: edit $conf_dir/device.json (id, brokerUrl), then: systemctl enable --now $unit;" \
        "logs: journalctl -u $unit -f"
fi
