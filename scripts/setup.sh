#!/usr/bin/env bash
# Create .venv beside the project and install the workbench with its test tools and
# PostgreSQL's driver (the extra [postgres]).
# Qt needs a few system libraries; on Debian/Ubuntu they are installed when
# missing (as root, or with sudo), elsewhere the missing ones are named.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"

# library file -> Debian package (what PySide6's widgets and its xcb/offscreen platforms load)
declare -A QT_LIBS=(
    [libEGL.so.1]=libegl1 [libGL.so.1]=libgl1 [libxkbcommon.so.0]=libxkbcommon0
    [libfontconfig.so.1]=libfontconfig1 [libglib-2.0.so.0]=libglib2.0-0 [libdbus-1.so.3]=libdbus-1-3
    [libxkbcommon-x11.so.0]=libxkbcommon-x11-0 [libxcb-cursor.so.0]=libxcb-cursor0
    [libxcb-icccm.so.4]=libxcb-icccm4 [libxcb-image.so.0]=libxcb-image0 [libxcb-keysyms.so.1]=libxcb-keysyms1
    [libxcb-randr.so.0]=libxcb-randr0 [libxcb-render-util.so.0]=libxcb-render-util0
    [libxcb-shape.so.0]=libxcb-shape0 [libxcb-xfixes.so.0]=libxcb-xfixes0 [libxcb-xkb.so.1]=libxcb-xkb1
    [libX11-xcb.so.1]=libx11-xcb1
)
missing=()
if command -v ldconfig >/dev/null 2>&1; then
    have=$(ldconfig -p 2>/dev/null || true)
    for lib in "${!QT_LIBS[@]}"; do
        grep -q "$lib" <<<"$have" || missing+=("${QT_LIBS[$lib]}")
    done
fi
# With --test-tools (scripts/test.sh): the programs the tests read the outputs with, as their
# readers do (pdftotext, pdfimages: the summary's text layer; rsvg-convert: the charts' SVG).
if [ "${1:-}" = "--test-tools" ]; then
    declare -A READER_TOOLS=([pdftotext]=poppler-utils [rsvg-convert]=librsvg2-bin)
    for tool in "${!READER_TOOLS[@]}"; do
        command -v "$tool" >/dev/null 2>&1 || missing+=("${READER_TOOLS[$tool]}")
    done
fi
if [ ${#missing[@]} -gt 0 ]; then
    if command -v apt-get >/dev/null 2>&1; then
        SUDO=""
        [ "$(id -u)" -eq 0 ] || SUDO="sudo"
        echo "Installing the system libraries Qt needs and the tests' reader tools: ${missing[*]}"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "Qt and the tests need these system packages (Debian names): ${missing[*]}" >&2
    fi
fi

if [ ! -x .venv/bin/python ]; then
    if ! "$PYTHON" -m venv .venv 2>/dev/null; then
        # Debian and Ubuntu ship venv's pip bootstrap separately (python3.X-venv).
        rm -rf .venv
        if command -v apt-get >/dev/null 2>&1; then
            SUDO=""
            [ "$(id -u)" -eq 0 ] || SUDO="sudo"
            version=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
            echo "Installing python${version}-venv (needed to create .venv)"
            $SUDO apt-get update -qq
            DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "python${version}-venv" >/dev/null \
                || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
        fi
        "$PYTHON" -m venv .venv
    fi
fi
# Install once, and again only when pyproject.toml (the dependencies) changes: later starts are immediate.
stamp=.venv/.installed-from
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || ! .venv/bin/python -c "import workbench" 2>/dev/null; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".[test,postgres]"
    echo "$want" > "$stamp"
fi
