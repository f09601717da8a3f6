# edgeml activate: check every file of an uploaded release against RELEASE's SHA-256 sums, set its owner and
# modes, and give it its final name. It becomes current only through switch.sh.
# Arguments: PREFIX RELEASE_ID SERVICE_GROUP('-' when the login user runs the service)
set -eu
prefix=$1 release=$2 group=$3
partial="$prefix/releases/$release.partial"

cd "$partial"
if ! grep -E '^[0-9a-f]{64}  ' RELEASE | sha256sum -c --quiet - >&2; then
    echo "release $release: files on the device do not match their SHA-256 sums; re-run the deploy" >&2
    exit 4
fi
if [ "$group" != - ]; then
    # The service user reads the release; only root writes it.
    chown -R "root:$group" "$partial"
    chmod 0750 "$partial"
    find "$partial" -type f -exec chmod 0640 {} +
else
    chmod 0755 "$partial"
fi
sync
mv "$partial" "$prefix/releases/$release"
