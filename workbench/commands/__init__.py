"""Sub-commands of the ``workbench`` command, one module each (see ``workbench.cli``)."""
