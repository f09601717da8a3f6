# edgeml service: (re)start the runtime of the current release, or stop it.
# Mode systemd installs the unit shipped in the release as /etc/systemd/system/edgeml.service (it runs as the
# system user edgeml, made by prepare.sh); mode supervisor runs the release's supervisor.sh (restart on failure after 5 s)
# as the login user, for devices where systemd is not running.
# Arguments: PREFIX MODE(systemd|supervisor) ACTION(restart|stop) JAVA
set -eu
prefix=$1 mode=$2 action=$3 java=$4
state="$prefix/state"
mkdir -p "$state"

stop_supervisor() {
    pid=$(cat "$state/supervisor.pid" 2>/dev/null || true)
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    i=0
    while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 40 ]; do sleep 0.5; i=$((i + 1)); done
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    rm -f "$state/supervisor.pid"
}

case "$mode/$action" in
    systemd/restart)
        install -m 0644 "$prefix/current/edgeml.service" /etc/systemd/system/edgeml.service
        systemctl daemon-reload
        systemctl enable --quiet edgeml.service
        echo systemd > "$prefix/service-mode"
        # Stop, forget the old health, start: a health file seen afterwards is the new process's.
        systemctl stop edgeml.service
        rm -f "$state/health.json"
        systemctl start edgeml.service
        ;;
    systemd/stop)
        systemctl stop edgeml.service
        ;;
    supervisor/restart)
        stop_supervisor
        echo supervisor > "$prefix/service-mode"
        rm -f "$state/health.json"
        # Root (sudo) only lays out the files: the runtime runs as the service user who owns state/.
        owner=$(stat -c %U "$state")
        if [ "$(id -u)" = 0 ] && [ "$owner" != root ]; then
            as_owner="setpriv --reuid=$owner --regid=$(id -g "$owner") --init-groups"
        else
            as_owner=""
        fi
        nohup setsid $as_owner sh "$prefix/current/supervisor.sh" "$prefix" "$java" </dev/null >/dev/null 2>&1 &
        ;;
    supervisor/stop)
        stop_supervisor
        ;;
    *)
        echo "unknown service mode/action $mode/$action" >&2
        exit 2
        ;;
esac
echo "service=$mode"
