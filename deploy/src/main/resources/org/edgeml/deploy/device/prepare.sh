# edgeml prepare: an empty <release>.partial directory the login user can upload into.
# Stale .partial directories (uploads that never finished) are removed: they were never current.
# With a service user (systemd mode: edgeml; supervisor mode when root does the layout: the login user),
# creates it as a system user if missing, adds it to the video and gpio groups (where they exist) and gives
# it the state directory.
# Arguments: PREFIX RELEASE_ID UPLOADER(user name) SERVICE_USER('-' when the installation's owner runs it)
set -eu
prefix=$1 release=$2 uploader=$3 service_user=$4
mkdir -p "$prefix/releases" "$prefix/state"
if [ "$service_user" != - ]; then
    if ! id "$service_user" >/dev/null 2>&1; then
        useradd --system --user-group --home-dir "$prefix/state" --no-create-home --shell /usr/sbin/nologin "$service_user"
    fi
    for group in video gpio; do
        if getent group "$group" >/dev/null; then usermod -a -G "$group" "$service_user"; fi
    done
    chown -R "$service_user:$(id -gn "$service_user")" "$prefix/state"
    chmod 0750 "$prefix/state"
fi
for stale in "$prefix"/releases/*.partial; do
    [ -e "$stale" ] && rm -rf "$stale"
done
if [ -e "$prefix/releases/$release" ]; then
    echo "release $release already exists" >&2
    exit 3
fi
mkdir -m 0700 "$prefix/releases/$release.partial"
if [ "$(id -un)" != "$uploader" ]; then
    chown "$uploader" "$prefix/releases/$release.partial"
fi
echo "partial=$prefix/releases/$release.partial"
