# edgeml switch: point `current` at a complete release with a new link renamed over the old one (atomic: a
# reader sees the old or the new target, never none), then, when KEEP > 0, keep only the newest KEEP
# releases, never removing the current or the previous one.
# Arguments: PREFIX RELEASE_ID KEEP(0: remove nothing)
set -eu
prefix=$1 release=$2 keep=$3
if [ ! -f "$prefix/releases/$release/RELEASE" ]; then
    echo "release $release is not on the device" >&2
    exit 3
fi
previous=""
[ -L "$prefix/current" ] && previous=$(basename "$(readlink "$prefix/current")")
rm -f "$prefix/current.new"
ln -s "releases/$release" "$prefix/current.new"
mv -T "$prefix/current.new" "$prefix/current"
sync
echo "previous=$previous"

[ "$keep" -gt 0 ] || exit 0
count=0
for dir in $(ls -1 "$prefix/releases" | grep -v '\.partial$' | sort -r); do
    count=$((count + 1))
    if [ "$count" -gt "$keep" ] && [ "$dir" != "$release" ] && [ "$dir" != "$previous" ]; then
        rm -rf "${prefix:?}/releases/$dir"
        echo "pruned=$dir"
    fi
done
