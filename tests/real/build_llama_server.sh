#!/usr/bin/env bash
# Build llama.cpp's llama-server once per machine from the llama.cpp sources vendored in the
# llama-cpp-python sdist (pinned version and SHA-256), cached outside the clone under
#   ${EVENHAND_CACHE:-~/.cache/evenhand}/llama-server/<version>/bin/llama-server
# A second run finds the cached binary and only prints its path.  Lean build: the server
# target only, Release, no curl/OpenSSL, no prebuilt web UI download.
set -euo pipefail
VERSION="0.3.36"
SHA256="832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e"
PYTHON="${PYTHON:-python3}"
CACHE="${EVENHAND_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/evenhand}/llama-server/$VERSION"
BIN="$CACHE/bin/llama-server"
if [ -x "$BIN" ]; then
  echo "$BIN"
  exit 0
fi
command -v cmake >/dev/null || { echo "building llama-server needs cmake and a C++ compiler" >&2; exit 2; }
mkdir -p "$(dirname "$CACHE")"
work="$(mktemp -d "$(dirname "$CACHE")/build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
echo "building llama-server $VERSION (from the llama-cpp-python sdist) into $CACHE" >&2
"$PYTHON" -m pip download --quiet --no-binary :all: --no-deps "llama-cpp-python==$VERSION" -d "$work" >&2
sdist="$work/llama_cpp_python-$VERSION.tar.gz"
echo "$SHA256  $sdist" | sha256sum --check --quiet
tar -xzf "$sdist" -C "$work"
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S "$work/llama_cpp_python-$VERSION/vendor/llama.cpp" -B "$work/build" "${generator[@]}" \
  -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF \
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=ON -DLLAMA_BUILD_TOOLS=ON \
  -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_ALL_WARNINGS=OFF >&2
cmake --build "$work/build" --target llama-server -j "${JOBS:-2}" >&2
mkdir -p "$work/out/bin"
cp "$work/build/bin/llama-server" "$work/out/bin/"
rm -rf "$CACHE"
mv "$work/out" "$CACHE"
echo "$BIN"
