# edgeml activate: check every file of an uploaded release against RELEASE's SHA-256 sums, make it final,
# point `current` at it (a new link renamed over the old one: atomic), and keep the newest releases.
# Arguments: PREFIX RELEASE_ID SERVICE_GROUP('-' when the login user runs the service) KEEP
set -eu
prefix=$1 release=$2 group=$3 keep=$4
partial="$prefix/releases/$release.partial"
final="$prefix/releases/$release"

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
mv "$partial" "$final"

previous=""
[ -L "$prefix/current" ] && previous=$(basename "$(readlink "$prefix/current")")
rm -f "$prefix/current.new"
ln -s "releases/$release" "$prefix/current.new"
mv -T "$prefix/current.new" "$prefix/current"
sync
echo "previous=$previous"

# Keep the newest KEEP releases, and never the current or the previous one.
count=0
for dir in $(ls -1 "$prefix/releases" | grep -v '\.partial$' | sort -r); do
    count=$((count + 1))
    if [ "$count" -gt "$keep" ] && [ "$dir" != "$release" ] && [ "$dir" != "$previous" ]; then
        rm -rf "$prefix/releases/$dir"
        echo "pruned=$dir"
    fi
done
