# edgeml supervisor: what the systemd unit does, where systemd is not running. Runs the current release,
# restarts it 5 s after it fails (not after a clean exit, nor after exit status 3, a model that failed its
# golden vectors), appends its output to state/runtime.log (rotated
# at 10 MB), and stops it on SIGTERM.
# Arguments: PREFIX JAVA
set -u
prefix=$1 java=$2
state="$prefix/state"
log="$state/runtime.log"
echo $$ > "$state/supervisor.pid"
child=""

stop() {
    [ -n "$child" ] && kill -TERM "$child" 2>/dev/null && wait "$child" 2>/dev/null
    rm -f "$state/supervisor.pid"
    exit 0
}
trap stop TERM INT HUP

while :; do
    if [ -f "$log" ] && [ "$(wc -c < "$log")" -gt 10485760 ]; then mv -f "$log" "$log.1"; fi
    echo "supervisor: starting $(readlink "$prefix/current") at $(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$log"
    "$java" "@$prefix/current/jvm.args" -jar "$prefix/current/edge-runtime.jar" \
        --config "$prefix/current/edgeml.conf" >> "$log" 2>&1 &
    child=$!
    wait "$child"
    status=$?
    child=""
    if [ "$status" = 0 ] || [ "$status" = 3 ]; then
        echo "supervisor: the runtime exited with status $status; not restarting" >> "$log"
        rm -f "$state/supervisor.pid"
        exit 0
    fi
    echo "supervisor: the runtime failed (exit status $status); restarting in 5 s" >> "$log"
    sleep 5 &
    wait $!
done
