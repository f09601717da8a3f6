# edgeml activate: check every file of an uploaded release against RELEASE's SHA-256 sums, check its trusted
# key against the one pinned on the device, set its owner and modes, and give it its final name. It becomes
# current only through switch.sh.
# Arguments: PREFIX RELEASE_ID SERVICE_USER('-' when the login user runs the service and owns the layout)
#            ROTATE_TRUST(1 or 0)
set -eu
prefix=$1 release=$2 group=$3 rotate=${4:-0}
if [ "$group" != - ]; then group=$(id -gn "$group"); fi
partial="$prefix/releases/$release.partial"
pin="$prefix/trusted-key.pub"

# The first release with a trusted key pins it, outside releases/; a later release must carry the same key
# (or none may go missing) unless the deploy says --rotate-trust.
file_id() { sha256sum "$1" | cut -c1-16; }
replace_pin() { cp "$1" "$pin.new" && chmod 0644 "$pin.new" && mv -f "$pin.new" "$pin"; }
if [ -e "$partial/trusted-key.pub" ]; then
    if [ ! -e "$pin" ]; then
        replace_pin "$partial/trusted-key.pub"
        echo "trust=pinned $(file_id "$pin")"
    elif cmp -s "$partial/trusted-key.pub" "$pin"; then
        echo "trust=kept $(file_id "$pin")"
    elif [ "$rotate" = 1 ]; then
        old=$(file_id "$pin")
        replace_pin "$partial/trusted-key.pub"
        echo "trust=rotated $old -> $(file_id "$pin")"
    else
        echo "the release's trusted key (file SHA-256 $(file_id "$partial/trusted-key.pub")) is not the key pinned on the device ($(file_id "$pin")); give --trusted-key with the pinned key, or --rotate-trust to replace the pin" >&2
        exit 5
    fi
elif [ -e "$pin" ]; then
    if [ "$rotate" = 1 ]; then
        echo "trust=unpinned $(file_id "$pin")"
        rm -f "$pin"
    else
        echo "the device pins a trusted key ($(file_id "$pin")) and this release has none; give --trusted-key with the pinned key, or --rotate-trust to remove the pin" >&2
        exit 5
    fi
fi

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
