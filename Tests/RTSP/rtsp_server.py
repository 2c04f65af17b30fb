#!/usr/bin/python3
"""A camera-like RTSP server for the tests: GStreamer's RTSP server (Debian's
gir1.2-gst-rtsp-server-1.0) plays an H.264 MP4 at real-time pace to every client of
rtsp://127.0.0.1:PORT/cam, from its start, as RTP over UDP or interleaved in the TCP
connection, as the client asks. Prints "listening" once it accepts connections.

usage: rtsp_server.py PORT CLIP.mp4
"""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def main():
    port, clip = sys.argv[1], sys.argv[2]
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(port)
    factory = GstRtspServer.RTSPMediaFactory()
    # qtdemux hands rtph264pay the stream as stored (avc): no parser or encoder plugin needed.
    factory.set_launch(f'( filesrc location="{clip}" ! qtdemux ! rtph264pay name=pay0 pt=96 config-interval=1 )')
    server.get_mount_points().add_factory("/cam", factory)
    if server.attach(None) == 0:
        sys.exit(f"rtsp_server: cannot listen on 127.0.0.1:{port}")
    print("listening", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
