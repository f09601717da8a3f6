# edgeml lock: holds an exclusive lock on the installation for one deploy, so two deploys to one device never
# run at once (each would delete the other's upload). Prints "locked" and keeps the lock until its stdin
# closes: the deploy ends, or its connection dies (then sshd ends this script and the kernel frees the lock).
# Arguments: PREFIX. Exit 75 when another deploy holds the lock (its holder is printed).
set -eu
prefix=$1
lock="$prefix/deploy.lock"
if ! command -v flock >/dev/null 2>&1; then
    echo "flock is not installed on the device; install util-linux (sudo apt install util-linux)" >&2
    exit 4
fi
mkdir -p "$prefix"
exec 9>>"$lock"
if ! flock -n 9; then
    echo "another deploy to this device is in progress ($(head -c 200 "$lock" | tr -d '\n'))" >&2
    exit 75
fi
printf 'pid %s as %s since %s\n' "$$" "$(id -un)" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$lock"
echo locked
cat >/dev/null
