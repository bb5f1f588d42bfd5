#!/usr/bin/env bash
# The dbus-daemon that run-tests.sh gives dbus-run-session. Run as root without CAP_SYS_RESOURCE (as in a
# container), dbus-daemon cannot raise its file limit and says so on every start; only that line is
# dropped, everything else it says still reaches stderr.
#
# The filter must not hold the pipe on which the daemon prints its address (--print-address FD):
# dbus-run-session reads it until end of file, so the filter closes every descriptor above 2.
exec dbus-daemon "$@" 2> >(
    for fd in /proc/self/fd/*; do
        fd="${fd##*/}"
        [[ "$fd" -gt 2 ]] && eval "exec $fd>&-" 2>/dev/null
    done
    exec grep --line-buffered -v 'Failed to set fd limit' >&2
)
