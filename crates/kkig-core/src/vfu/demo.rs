//! The VFU part of the demo world.
