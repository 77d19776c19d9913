"""The chaos run: cases through the whole chain while services and the broker are killed
(see ``__main__`` for the command, :mod:`.journeys`, :mod:`.faults`, :mod:`.accounting`)."""
