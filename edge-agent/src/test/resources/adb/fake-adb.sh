#!/usr/bin/env bash
# A stand-in for adb in tests: replays the recorded outputs next to it (devices-l.txt, getprop-SERIAL.txt)
# for the serials listed in ./plugged, one a line, which a test edits to plug and unplug devices.
# While a file ./server-down exists, it answers as adb does when its server cannot start. Serials in
# ./offline are listed "offline" (as adb lists a device it is still reconnecting to, e.g. right after
# "adb kill-server"); serials in ./offline-once are listed so by the next "devices" only.
here=$(cd "$(dirname "$0")" && pwd)

listed() { grep -E "^$1[[:space:]]" "$here/devices-l.txt"; }
in_file() { grep -qxF -- "$1" "$here/$2" 2>/dev/null; }
# The recorded line, or "SERIAL offline transport_id:N" while the serial is offline.
entry() {
  if in_file "$1" offline || in_file "$1" offline-once.now; then
    listed "$1" | awk '{ print $1 "          offline " $NF }'
  else
    listed "$1"
  fi
}
plugged() { grep -qxF -- "$1" "$here/plugged" 2>/dev/null; }

if [ -e "$here/server-down" ]; then
  echo "* daemon not running; starting now at tcp:5037" >&2
  echo "ADB server didn't ACK" >&2
  echo "* failed to start daemon" >&2
  echo "adb: cannot connect to daemon" >&2
  exit 1
fi

serial=
if [ "$1" = "-s" ]; then
  serial=$2
  shift 2
fi

case "$1" in
  devices)
    # this listing takes the offline-once serials (a rename: a file written meanwhile waits for the next one)
    mv "$here/offline-once" "$here/offline-once.now" 2>/dev/null
    echo "List of devices attached"
    while read -r plugged_serial; do
      [ -n "$plugged_serial" ] && entry "$plugged_serial"
    done < "$here/plugged"
    echo
    rm -f "$here/offline-once.now"
    ;;
  get-state | shell)
    if [ -z "$serial" ] || ! plugged "$serial"; then
      echo "error: device '$serial' not found" >&2
      exit 1
    fi
    state=$(listed "$serial" | awk '{ print $2 }')
    if [ "$state" = unauthorized ]; then
      echo "error: device unauthorized." >&2
      echo "This adb server's \$ADB_VENDOR_KEYS is not set" >&2
      echo "Try 'adb kill-server' if that seems wrong." >&2
      echo "Otherwise check for a confirmation dialog on your device." >&2
      exit 1
    fi
    if [ "$1" = get-state ]; then
      echo "$state"
    elif [ "$2" = getprop ] && [ $# -eq 2 ]; then
      cat "$here/getprop-$serial.txt"
    else
      echo "fake adb: nothing recorded for: shell ${*:2}" >&2
      exit 1
    fi
    ;;
  *)
    echo "fake adb: nothing recorded for: $*" >&2
    exit 1
    ;;
esac
