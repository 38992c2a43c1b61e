#!/bin/sh
# Generates the demo server's media: a 600 s clip (longer than Jellyfin's
# MinResumeDurationSeconds of 300, so a resume point survives the server's rules),
# 160x90 at 1 frame/s with a visible seconds counter, a keyframe every 10 s so
# mpv can seek, two silent mono AAC tracks (eng, the default, and fre) and two
# mov_text subtitle tracks (eng, spa) muxed from subtitles.eng.srt and
# subtitles.spa.srt; subtitles.ger.srt is the external subtitle the server serves
# beside it. The .srt files are written here too, in the form ffmpeg extracts
# them, so the server can hand them out as Jellyfin hands out extracted tracks.
# Their names do not start with "clip" so that mpv does not load them itself.
# The mp4 muxer stores no track titles, and always enables the first subtitle
# track, which players and Jellyfin read as "default".
# Run from anywhere: sh assets/demo/make-clip.sh
# The same media at another frame rate, elsewhere (the bench's 24 frames/s film, bench/servers.ts):
#   CLIP_RATE=24 CLIP_PRESET=ultrafast CLIP_DIR=/tmp/film sh assets/demo/make-clip.sh
# CLIP_RATE: frames per second (default 1; a keyframe every 10 s whatever the rate);
# CLIP_PRESET: x264's preset (default veryslow, the smallest file); CLIP_DIR: the folder that
# gets clip.mp4 and the .srt files (default this one, which holds the committed clip).
set -eu
rate=${CLIP_RATE:-1}
preset=${CLIP_PRESET:-veryslow}
if [ -n "${CLIP_DIR:-}" ]; then
  mkdir -p "$CLIP_DIR"
  cd "$CLIP_DIR"
else
  cd "$(dirname "$0")"
fi

# cues LANGUAGE TEXT SECOND: ten cues, one a minute, from SECOND to SECOND+6 of each minute.
cues() {
  n=0
  while [ "$n" -lt 10 ]; do
    printf '%d\n00:%02d:%02d,000 --> 00:%02d:%02d,000\n%s %d/10\n\n' \
      "$((n + 1))" "$n" "$3" "$n" "$(($3 + 6))" "$2" "$((n + 1))"
    n=$((n + 1))
  done > "subtitles.$1.srt"
}
cues eng 'English subtitle' 2
cues spa 'Subtítulo en español' 2
cues ger 'Deutscher Untertitel' 20

ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc=size=160x90:rate=$rate:duration=600" \
  -f lavfi -i "anullsrc=r=8000:cl=mono" \
  -i subtitles.eng.srt -i subtitles.spa.srt \
  -map 0:v -map 1:a -map 1:a -map 2:s -map 3:s \
  -c:v libx264 -preset "$preset" -crf 45 -g "$((rate * 10))" -pix_fmt yuv420p \
  -c:a aac -b:a 8k -ac 1 \
  -c:s mov_text \
  -metadata:s:a:0 language=eng -metadata:s:a:1 language=fre \
  -metadata:s:s:0 language=eng -metadata:s:s:1 language=spa \
  -disposition:a:0 default -disposition:a:1 0 \
  -movflags +faststart -t 600 -map_metadata -1 -fflags +bitexact \
  clip.mp4
