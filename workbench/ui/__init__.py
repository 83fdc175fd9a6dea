"""The Qt window.  Everything here may import Qt; nothing in workbench.model may."""
