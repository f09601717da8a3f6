# edgeml logs: the runtime's last output lines, to explain a failed start.
# Arguments: PREFIX LINES
set -u
prefix=$1 lines=$2
mode=$(cat "$prefix/service-mode" 2>/dev/null || echo none)
if [ "$mode" = systemd ]; then
    journalctl -u edgeml.service -n "$lines" --no-pager -o cat 2>/dev/null
else
    tail -n "$lines" "$prefix/state/runtime.log" 2>/dev/null
fi
exit 0
