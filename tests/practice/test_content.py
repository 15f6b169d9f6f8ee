"""practice/content/*.yaml as the tools read them: the counts, keys and links they rely on."""

from lessons.content import CONTENT_ROOT, read_content
from practice.content import WHO, check_in, four_abilities, ladder, love_languages


def _lesson_slugs() -> set[str]:
    return {lesson.slug for module in read_content(CONTENT_ROOT) for lesson in module.lessons}


def test_the_check_in_has_five_steps_each_with_both_prompts():
    content = check_in()

    assert [step.key for step in content.steps] == [
        "went_well",
        "felt_distant",
        "need",
        "appreciation",
        "next_week",
    ]
    assert all(step.title and step.prompt and step.alone_prompt for step in content.steps)
    assert content.did_it_happen.count("{plan}") == 1
    assert content.happened_choices == (("yes", "Yes"), ("partly", "Partly"), ("no", "No"))


def test_four_abilities_have_five_statements_three_readings_and_real_lessons():
    content = four_abilities()
    slugs = _lesson_slugs()

    assert [a.key for a in content.abilities] == [
        "seeking_care",
        "giving_care",
        "autonomy",
        "negotiating",
    ]
    assert [value for value, _ in content.scale] == [1, 2, 3, 4, 5]
    for ability in content.abilities:
        assert len(ability.statements) == 5, ability.key
        assert set(ability.reading) == {"low", "middle", "high"}, ability.key
        assert ability.lessons and set(ability.lessons) <= slugs, ability.key
    assert "not a diagnosis" in content.not_a_diagnosis
    assert "not therapy" in content.not_a_diagnosis


def test_love_languages_are_five_each_with_acts():
    content = love_languages()

    assert content.keys == ["words", "acts", "gifts", "time", "touch"]
    assert all(len(language.acts) >= 3 for language in content.languages)


def test_ladder_first_rungs_say_who_with_one_of_the_known_people():
    content = ladder()

    assert len(content.first_rungs) == 12
    assert {rung.who for rung in content.first_rungs} <= set(WHO)
    assert content.intro and content.safety
