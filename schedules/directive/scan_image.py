"""A photo or a scanned page made ready for OCR: decoded within bounds, upright, straight, black
on white.

Pillow decodes (it reads an image's size from its header without decoding, so an image too
large is refused before it takes memory, and it turns a phone photo by its EXIF orientation);
OpenCV straightens and thresholds. OpenCV (`opencv-python-headless`: one wheel, numpy its only
dependency) was chosen over the `deskew` package, which pulls scikit-image and SciPy in for
the one angle we need, and gives the adaptive threshold that evens out a photo's uneven light.
"""

from __future__ import annotations

import functools
import io
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from schedules.directive.errors import DocumentError

if TYPE_CHECKING:
    from numpy.typing import NDArray
    from PIL.Image import Image

# Decoded pixels an image may have: a 48 MP phone photo fits, a decompression bomb does not.
# Checked from the header, before decoding (docs/scans.md: what it costs in memory).
MAX_PIXELS = 50_000_000
# A JPEG is decoded straight at the working size (its "draft" mode); other formats (PNG,
# TIFF, WebP, a PDF's page image) are decoded whole, at up to 4 bytes a pixel, so their
# bound is lower: 25 MP is a page scanned at 600 dpi.
MAX_WHOLE_PIXELS = 25_000_000
# An A4 page this short on its long side holds text too small to read (under ~70 dpi).
MIN_LONG_SIDE = 800
MIN_SHORT_SIDE = 500
# Pages are read at about 200 dpi on A4: Tesseract reads 10-12 pt print well there, and a
# larger image only costs time (the OCR time grows with the pixels).
WORK_LONG_SIDE = 2400
# A small photo (Telegram sends 1280 px) is enlarged to this: Tesseract wants letters
# about 20 px high.
MIN_WORK_LONG_SIDE = 2000
# A page with more ink marks than this, or this share of them specks, is noise, not print
# (a printed page: ~2,500 marks, no specks; static: 30,000-50,000, a third of them specks).
MIN_MARKS = 40  # a line of print has more
MAX_MARKS = 15_000
SPECK_PIXELS = 4
MAX_SPECK_SHARE = 0.15
# Straightening looks for the angle within ±MAX_SKEW degrees, in STEP-degree steps.
MAX_SKEW = 6.0
SKEW_STEP = 0.25

IMAGE_BROKEN = "Tệp ảnh này bị hỏng, không mở được. Hãy chụp hoặc quét lại rồi gửi lại."
IMAGE_TOO_SMALL = (
    "Ảnh quá nhỏ ({width}×{height} điểm ảnh), chữ không đủ rõ để đọc. Hãy gửi ảnh gốc "
    "(gửi dạng tệp để không bị nén) hoặc chụp gần hơn, thẳng trang giấy."
)
IMAGE_TOO_LARGE = (
    "Ảnh quá lớn (hơn {megapixels} triệu điểm ảnh, giới hạn {limit} triệu). "
    "Hãy gửi ảnh chụp bình thường từ điện thoại, hoặc bản .pdf, .docx."
)


def image_pages(data: bytes) -> list[Callable[[], Image]]:
    """One loader per page of an image file: one for a photo, one per frame of a multi-page
    TIFF; a broken image gets one loader that says so when OCR calls it."""
    from PIL import Image as PILImage

    try:
        with PILImage.open(io.BytesIO(data)) as image:
            frames = int(getattr(image, "n_frames", 1))
    except Exception:  # any failure to open: the loader below reports it in Vietnamese
        frames = 1
    return [functools.partial(load_image, data, frame) for frame in range(max(1, frames))]


def load_image(data: bytes, frame: int = 0) -> Image:
    """The image in the bytes, in grey, turned upright by its EXIF orientation and scaled to
    the working size; refused when too large (before decoding) or too small."""
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    try:
        with warnings.catch_warnings():  # Pillow warns past 89 MP; our bound is lower
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            image = PILImage.open(io.BytesIO(data))
    except PILImage.DecompressionBombError as error:  # Pillow's own bound, far above ours
        raise DocumentError(too_large(180, MAX_PIXELS)) from error
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise DocumentError(IMAGE_BROKEN) from error
    if frame:
        try:
            image.seek(frame)
        except (EOFError, OSError, ValueError) as error:
            raise DocumentError(IMAGE_BROKEN) from error
    return prepare(image)


def prepare(image: Image) -> Image:
    """An opened (not yet decoded) image checked, decoded in grey and scaled for OCR."""
    from PIL import Image as PILImage
    from PIL import ImageOps

    width, height = image.size
    check_dimensions(width, height, whole=image.format != "JPEG")
    # A JPEG can be decoded straight at a smaller size, which spares memory and time.
    scale = WORK_LONG_SIDE / max(width, height)
    if scale < 1 and image.format == "JPEG":
        image.draft("L", (int(width * scale), int(height * scale)))
    try:
        # Grey first, then turned in place: a full-colour copy is never made.
        image = image.convert("L")
        ImageOps.exif_transpose(image, in_place=True)
    except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError) as error:
        raise DocumentError(IMAGE_BROKEN) from error
    long_side = max(image.size)
    if long_side > WORK_LONG_SIDE or long_side < MIN_WORK_LONG_SIDE:
        target = WORK_LONG_SIDE if long_side > WORK_LONG_SIDE else MIN_WORK_LONG_SIDE
        factor = target / long_side
        size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
        image = image.resize(size, PILImage.Resampling.LANCZOS)
    return image


def check_dimensions(width: int, height: int, *, whole: bool = True) -> None:
    """Refuse an image too large to decode safely or too small to read; `whole` when it will
    be decoded at full size (anything but a JPEG)."""
    limit = MAX_WHOLE_PIXELS if whole else MAX_PIXELS
    if width * height > limit:
        raise DocumentError(too_large(width * height / 1e6, limit))
    if max(width, height) < MIN_LONG_SIDE or min(width, height) < MIN_SHORT_SIDE:
        raise DocumentError(IMAGE_TOO_SMALL.format(width=width, height=height))


def too_large(megapixels: float, limit: int) -> str:
    return IMAGE_TOO_LARGE.format(megapixels=int(megapixels), limit=limit // 1_000_000)


def clean(image: Image) -> Image:
    """Black text on white, straightened: what Tesseract reads best and fastest."""
    import cv2
    from PIL import Image as PILImage

    grey = _array(image)
    # A light blur melts scanner and sensor noise into the paper; the adaptive threshold
    # (each pixel against its 41-pixel neighbourhood) follows a photo's uneven light where
    # one global level would not. On the rendered seeds this read best of the variants tried
    # (median filter, background division and Otsu, no threshold).
    smooth = cv2.GaussianBlur(grey, (5, 5), 0)
    binary = cv2.adaptiveThreshold(
        smooth, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 41, 20
    )
    binary = _without_frames(binary)
    angle = skew_angle(binary)
    if abs(angle) >= SKEW_STEP:
        binary = _rotate(binary, angle)
    return PILImage.fromarray(binary)


def _without_frames(binary: NDArray[Any]) -> NDArray[Any]:
    """The page without ink that spans half of it: the sheet's edge in a photo, a scanner's
    shadow, a frame. Tesseract takes a page inside such a frame for a picture and reads
    nothing of it; no letter or word is that large."""
    import cv2
    import numpy as np

    height, width = binary.shape[:2]
    _, labels, stats, _ = cv2.connectedComponentsWithStats(255 - binary)
    spans = (stats[:, cv2.CC_STAT_WIDTH] > width / 2) | (stats[:, cv2.CC_STAT_HEIGHT] > height / 2)
    spans[0] = False  # the background
    if not spans.any():
        return binary
    cleared = binary.copy()
    cleared[np.isin(labels, np.flatnonzero(spans))] = 255
    return cleared


def without_print(image: Image) -> bool:
    """A clean page that is blank or speckle, not print: a letter at 200 dpi makes a few
    thousand ink marks (letters, accents), almost none of them specks of 4 pixels or fewer;
    static, grain or a textured surface makes tens of thousands, a good part of them specks.
    Such a page is passed over at once: Tesseract would spend its whole time bound on
    noise, and a second on a blank page."""
    import cv2
    import numpy as np

    ink = (_array(image) < 128).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink)
    marks = stats[1:, cv2.CC_STAT_AREA]
    specks = int((marks <= SPECK_PIXELS).sum())
    too_few = len(marks) < MIN_MARKS
    return too_few or count > MAX_MARKS or specks > MAX_SPECK_SHARE * len(marks)


def skew_angle(binary: NDArray[Any]) -> float:
    """The angle (degrees) that makes the text lines horizontal: the rotation whose row
    profile of ink is the sharpest (lines of text and the gaps between them line up)."""
    import cv2
    import numpy as np

    # A quarter-size image is enough to find the angle, and 16 times cheaper to rotate.
    small = cv2.resize(255 - binary, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    best, best_score = 0.0, -1.0
    steps = round(MAX_SKEW / SKEW_STEP)
    for step in range(-steps, steps + 1):
        angle = step * SKEW_STEP
        rows = _rotate(small, angle, fill=0).sum(axis=1, dtype=np.float64)
        score = float(np.square(np.diff(rows)).sum())
        if score > best_score:
            best, best_score = angle, score
    return best


def _rotate(image: NDArray[Any], angle: float, fill: int = 255) -> NDArray[Any]:
    import cv2

    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    rotated: NDArray[Any] = cv2.warpAffine(
        image,
        matrix,
        (width, height),
        flags=cv2.INTER_NEAREST,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=fill,
    )
    return rotated


def _array(image: Image) -> NDArray[Any]:
    import numpy as np

    array: NDArray[Any] = np.asarray(image, dtype=np.uint8)
    return array
