# edgeml status: releases, the current one, the service and its health. Prints key=value lines.
# Arguments: PREFIX
set -u
prefix=$1
if [ -d "$prefix/releases" ]; then
    for dir in $(ls -1 "$prefix/releases" | sort); do
        case "$dir" in
            *.partial) echo "partial=$dir" ;;
            *) echo "release=$dir" ;;
        esac
    done
fi
[ -L "$prefix/current" ] && echo "current=$(basename "$(readlink "$prefix/current")")"
mode=none
[ -f "$prefix/service-mode" ] && mode=$(cat "$prefix/service-mode")
echo "service=$mode"
case "$mode" in
    systemd)
        echo "state=$(systemctl is-active edgeml.service 2>/dev/null)"
        ;;
    supervisor)
        pid=$(cat "$prefix/state/supervisor.pid" 2>/dev/null || true)
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then echo "state=running"; else echo "state=stopped"; fi
        ;;
esac
if [ -f "$prefix/state/health.json" ]; then
    echo "health=$(tr -d '\n' < "$prefix/state/health.json")"
fi
exit 0
