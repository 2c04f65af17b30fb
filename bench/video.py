#!/usr/bin/env python3
"""Video, measured: a 1080p30 H.264 clip (FFmpeg's testsrc2, x264's default settings: a key
frame every 250 frames, B-frames), 20 seconds, made with the ffmpeg tool.

- Storyboard: `darkroom storyboard --every 2 --width 160` against `ffmpeg -vf fps=1/2,scale=160:-2`
  writing the same tiles as JPEG files, both on one core (taskset -c 0), best of three.
- Decode and sample: every frame at 640 px (`darkroom motion --fps 30 --width 640`) against
  `ffmpeg -vf scale=640:-2 -f rawvideo` on one core: frames per second.
- Motion detection on one core at 640 px, sampling 10 and 30 frames a second: the real-time factor
  (seconds of video per second of work), which `darkroom motion` reports itself.
"""
import argparse, json, os, shutil, subprocess, tempfile, time

ONE_CORE = ["taskset", "-c", "0"]


def timed(command, runs=3):
    """Best wall time of `runs` runs, in seconds, and the last run's standard output."""
    best, output = None, ""
    for _ in range(runs):
        start = time.perf_counter()
        output = subprocess.run(command, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True).stdout
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, output


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--darkroom", default=".build/release/darkroom")
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args()
    darkroom = os.path.abspath(args.darkroom)
    if not os.access(os.path.join(os.path.dirname(darkroom), "darkroom-video"), os.X_OK):
        raise SystemExit("bench/video.py: darkroom-video is not beside darkroom (make release builds both)")
    work = tempfile.mkdtemp(prefix="darkroom-video-bench-")
    try:
        clip = os.path.join(work, "clip.mp4")
        subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", f"testsrc2=size=1920x1080:rate=30:duration={args.seconds}",
                        "-c:v", "libx264", "-pix_fmt", "yuv420p", "-y", clip], check=True)
        frames = args.seconds * 30

        board = os.path.join(work, "board")
        ours, _ = timed(ONE_CORE + [darkroom, "storyboard", "--every", "2", "--width", "160", clip, board])
        tiles = os.path.join(work, "tiles")
        os.makedirs(tiles)
        theirs, _ = timed(ONE_CORE + ["ffmpeg", "-v", "error", "-threads", "1", "-i", clip, "-vf", "fps=1/2,scale=160:-2",
                                      "-y", os.path.join(tiles, "%03d.jpg")])

        decode_ours, _ = timed(ONE_CORE + [darkroom, "motion", "--fps", "30", "--width", "640", clip])
        decode_theirs, _ = timed(ONE_CORE + ["ffmpeg", "-v", "error", "-threads", "1", "-i", clip, "-vf", "scale=640:-2",
                                             "-f", "rawvideo", "-pix_fmt", "rgb24", "-y", "/dev/null"])
        realtime = {}
        for fps in (10, 30):
            _, output = timed(ONE_CORE + [darkroom, "motion", "--fps", str(fps), "--width", "640", clip])
            realtime[fps] = json.loads(output.strip().splitlines()[-1])["realtime"]

        print(f"\n### Video ({args.seconds} s of 1080p30 H.264, x264 defaults; one core for every row)\n")
        print("| task | Darkroom | ffmpeg | ratio |")
        print("|---|---:|---:|---:|")
        print(f"| storyboard, a 160-px tile every 2 s | {ours:.2f} s | {theirs:.2f} s (`fps=1/2,scale=160:-2`) | "
              f"**{theirs / ours:.2f}×** faster |")
        print(f"| decode and sample every frame at 640 px | {frames / decode_ours:.0f} frames/s | "
              f"{frames / decode_theirs:.0f} frames/s (`scale=640:-2`, raw RGB) | {decode_theirs / decode_ours:.2f}× |")
        print(f"| motion detection at 640 px, 10 frames/s sampled | {realtime[10]:.2f}× real time | – | – |")
        print(f"| motion detection at 640 px, every frame | {realtime[30]:.2f}× real time | – | – |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
