"""Project-wide test set-up."""

# torchvision loads triton, which segfaults if TensorFlow was imported first; importing it
# here, before any test module, makes the import order safe for the whole suite.
import torchvision  # noqa: F401
