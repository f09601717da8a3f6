# edgeml switch: point `current` at an existing, complete release (rollback, or undoing a failed deploy).
# Arguments: PREFIX RELEASE_ID
set -eu
prefix=$1 release=$2
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
echo "current=$release"
