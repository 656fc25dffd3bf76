"""`cv2_imshow`: Colab's replacement for OpenCV's `cv2.imshow`, which needs a window."""

from __future__ import annotations


def cv2_imshow(a) -> None:
    """Show an OpenCV image: gray, BGR or BGRA, any number type, clipped to 0..255."""
    import numpy as np
    from IPython.display import display
    from PIL import Image

    image = np.clip(np.asarray(a), 0, 255).astype(np.uint8)
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[..., 0]
    elif image.ndim == 3:  # OpenCV keeps blue first: BGR(A) -> RGB(A)
        image = np.concatenate([image[..., 2::-1], image[..., 3:]], axis=2)
    display(Image.fromarray(image))
