"""The Qt-free drawing model: strokes, undo/redo/clear, eraser."""

from __future__ import annotations

import numpy as np

from desktop.recognition.drawing import Drawing


def _stroke(drawing: Drawing, points, width: float = 10, erase: bool = False) -> None:
    drawing.begin_stroke(*points[0], width, erase)
    for point in points[1:]:
        drawing.extend_stroke(*point)


def test_undo_redo_per_stroke_and_an_undoable_clear() -> None:
    drawing = Drawing()
    assert not drawing.can_undo and not drawing.undo() and not drawing.redo()
    _stroke(drawing, [(10, 10), (50, 50)])
    _stroke(drawing, [(60, 10), (60, 90)])
    assert len(drawing.strokes) == 2
    assert drawing.undo() and len(drawing.strokes) == 1
    assert drawing.redo() and len(drawing.strokes) == 2
    assert drawing.clear() and drawing.strokes == () and drawing.is_empty()
    assert drawing.undo() and len(drawing.strokes) == 2  # the clear is taken back
    assert drawing.redo() and drawing.strokes == ()  # ... and redone
    assert drawing.undo()
    _stroke(drawing, [(5, 5), (6, 6)])  # a new stroke forgets the redo history
    assert not drawing.can_redo and len(drawing.strokes) == 3
    assert not Drawing().clear()


def test_eraser_removes_what_it_covers_and_splits_strokes() -> None:
    drawing = Drawing()
    _stroke(drawing, [(20, 100), (260, 100)])
    _stroke(drawing, [(140, 60), (140, 140)], width=30, erase=True)
    pieces = drawing.visible_strokes()
    assert len(pieces) == 2
    assert pieces[0][:, 0].max() < 140 - 15 + 1 and pieces[1][:, 0].min() > 140 + 15 - 1
    _stroke(drawing, [(140, 20), (140, 200)])  # ink after the eraser stays
    assert len(drawing.visible_strokes()) == 3
    _stroke(drawing, [(0, 100), (280, 100)], width=400, erase=True)
    assert drawing.is_empty()


def test_to_array_shows_ink_bright_and_erased_ink_gone() -> None:
    drawing = Drawing()
    _stroke(drawing, [(20, 140), (260, 140)], width=10)
    image = drawing.to_array(280)
    assert image.shape == (280, 280) and image[140, 100] == 1.0 and image[50, 100] == 0.0
    _stroke(drawing, [(100, 100), (100, 180)], width=20, erase=True)
    assert drawing.to_array(280)[140, 100] == 0.0
    half = drawing.to_array(140)
    assert half[70, 20] == 1.0 and half.shape == (140, 140)
    assert np.all((image == 0) | (image == 1))


def test_a_click_is_a_dot() -> None:
    drawing = Drawing()
    drawing.begin_stroke(100, 100, 12)
    assert len(drawing.visible_strokes()) == 1
    assert drawing.to_array()[100, 100] == 1.0


def test_an_eraser_drawn_move_by_move_erases_what_it_erases_at_once() -> None:
    import numpy as np

    from desktop.recognition.drawing import Drawing

    rng = np.random.default_rng(3)
    lines = [rng.uniform(20, 260, (2, 2)) for _ in range(20)]
    path = [(float(x), float(y)) for x, y in rng.uniform(20, 260, (60, 2))]

    def drawing_with(eraser_points: list[tuple[float, float]], look_each_move: bool) -> Drawing:
        drawing = Drawing()
        for start, end in lines:
            drawing.begin_stroke(*start, width=12)
            drawing.extend_stroke(*end)
        drawing.begin_stroke(*eraser_points[0], width=20, erase=True)
        for point in eraser_points[1:]:
            drawing.extend_stroke(*point)
            if look_each_move:
                drawing.visible_strokes()  # the cells are drawn a move at a time
        return drawing

    gradual = drawing_with(path, look_each_move=True).visible_strokes()
    at_once = drawing_with(path, look_each_move=False).visible_strokes()
    assert len(gradual) == len(at_once) and len(at_once) > len(lines)  # lines were cut
    for a, b in zip(gradual, at_once, strict=True):
        np.testing.assert_array_equal(a, b)
