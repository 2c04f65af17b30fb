#!/bin/sh
# Runs a command inside a container root file system the way a container runtime would, without
# one: in a private mount namespace, the root file system read-only, /proc and /dev mounted,
# /data bound to a writable folder and /tmp a tmpfs, as the image's user (10001), with only the
# image's environment. Needs root (mount, chroot).
#
#   run_in_rootfs.sh ROOTFS DATA_FOLDER [VAR=value…] -- COMMAND [ARGUMENT…]
#
# It execs its way down (unshare, sh, chroot, the command), so the PID that starts it is the
# command's: a SIGTERM to it reaches the command.
set -eu
if [ "${DARKROOM_IN_NAMESPACE:-}" != 1 ]; then
  DARKROOM_IN_NAMESPACE=1 exec unshare --mount --propagation private "$0" "$@"
fi
rootfs=$1 data=$2
shift 2
environment=""
while [ "$1" != "--" ]; do environment="$environment $1"; shift; done
shift
mount --bind "$rootfs" "$rootfs"
mount -o remount,bind,ro "$rootfs"
mount -t proc proc "$rootfs/proc"
mount --rbind /dev "$rootfs/dev"
mount --bind "$data" "$rootfs/data"
mount -t tmpfs -o mode=1777 tmpfs "$rootfs/tmp"
# shellcheck disable=SC2086
exec env -i $environment /usr/sbin/chroot --userspec=10001:10001 "$rootfs" "$@"
