from ngage.store import queries


def test_to_positional_numbers_each_name_once() -> None:
    sql, names = queries.to_positional("SELECT :a, :b, :a WHERE x = :c_1")
    assert sql == "SELECT $1, $2, $1 WHERE x = $3"
    assert names == ("a", "b", "c_1")


def test_insert_has_a_placeholder_per_column() -> None:
    sql, names = queries.to_positional(queries.INSERT_MEETING)
    columns = [c.strip() for c in queries.MEETING_COLUMNS.split(",")]
    assert list(names) == columns
    assert f"${len(columns)})" in sql


def test_in_lists() -> None:
    assert ":a0, :a1, :a2)" in queries.meetings_of_app(3)
    assert "IN (:m0)" in queries.files_of_meetings(1)
