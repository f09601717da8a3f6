# edgeml preflight: what the device has. Prints key=value lines; changes nothing unless asked to install Java.
# Arguments: PREFIX SOURCE_KIND INSTALL_JAVA(0|1)
set -u
prefix=$1 source_kind=$2 install_java=$3

echo "arch=$(uname -m)"
echo "user=$(id -un)"
if [ "$(id -u)" = 0 ]; then echo "root=yes"; else echo "root=no"; fi
if sudo -n true 2>/dev/null; then echo "sudo=yes"; else echo "sudo=no"; fi
if [ -d /run/systemd/system ]; then echo "systemd=yes"; else echo "systemd=no"; fi

# The nearest existing directory at or above the prefix: writable by us, and its free space.
dir=$prefix
while [ ! -d "$dir" ]; do dir=$(dirname "$dir"); done
if [ -w "$dir" ]; then echo "writable=yes"; else echo "writable=no"; fi
echo "free_kb=$(df -Pk "$dir" | awk 'NR==2 {print $4}')"

java_major() {
    java -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit}'
}
if ! command -v java >/dev/null 2>&1 && [ "$install_java" = 1 ]; then
    sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo -n"
    echo "installing openjdk-17-jre-headless" >&2
    $sudo apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q openjdk-17-jre-headless >&2 \
        || echo "java_install=failed"
fi
if command -v java >/dev/null 2>&1; then
    echo "java=$(command -v java)"
    echo "java_major=$(java_major)"
else
    echo "java=none"
fi

if [ "$source_kind" = rpicam ]; then
    if command -v rpicam-vid >/dev/null 2>&1; then echo "rpicam=yes"; else echo "rpicam=no"; fi
fi
if [ -f "$prefix/service-mode" ]; then echo "service_mode=$(cat "$prefix/service-mode")"; fi
if [ -L "$prefix/current" ]; then echo "current=$(basename "$(readlink "$prefix/current")")"; fi
exit 0
