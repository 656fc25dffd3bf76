"""Google Colab's `google.colab` as a notebook meets it while it is graded: offline, with no
Google account. `drive.mount` shows the course's files, `files.upload` uploads nothing, and
`patches.cv2_imshow` shows an OpenCV image."""

from google.colab import drive, files, patches

__all__ = ["drive", "files", "patches"]
