#!/bin/sh
# Generates the demo server's only media file: 600 s (longer than Jellyfin's
# MinResumeDurationSeconds of 300, so a resume point survives the server's rules),
# 160x90 at 1 frame/s with a visible seconds counter, a keyframe every 10 s so
# mpv can seek, and a silent mono AAC track so players see an audio stream.
# Run from anywhere: sh assets/demo/make-clip.sh
set -eu
cd "$(dirname "$0")"
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc=size=160x90:rate=1:duration=600" \
  -f lavfi -i "anullsrc=r=8000:cl=mono" \
  -map 0:v -map 1:a \
  -c:v libx264 -preset veryslow -crf 45 -g 10 -pix_fmt yuv420p \
  -c:a aac -b:a 8k -ac 1 \
  -movflags +faststart -t 600 -map_metadata -1 -fflags +bitexact \
  clip.mp4
