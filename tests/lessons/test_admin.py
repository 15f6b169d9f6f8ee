import pytest
from django.urls import reverse

from lessons.services import progress_mark_done, reflection_save
from tests.factories import UserFactory


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_admin_previews_a_lesson_as_it_reads(admin_client, lessons):
    response = admin_client.get(reverse("admin:lessons_lesson_change", args=[lessons[0].pk]))

    assert response.status_code == 200
    assert "<h2>The belief that quietly ends relationships</h2>" in response.content.decode()


def test_admin_lists_lessons_in_path_order(admin_client, lessons):
    page = admin_client.get(reverse("admin:lessons_lesson_changelist")).content.decode()

    titles = [lesson.title for lesson in lessons[:3]]
    assert page.index(titles[0]) < page.index(titles[1]) < page.index(titles[2])


def test_admin_cannot_add_lessons_that_the_loader_owns(admin_client, curriculum):
    response = admin_client.get(reverse("admin:lessons_lesson_add"))

    assert response.status_code == 403


def test_admin_lists_progress_and_reflections_without_the_answers(admin_client, alice, lessons):
    progress_mark_done(user=alice, lesson=lessons[0])
    reflection_save(user=alice, lesson=lessons[0], answer="Alice's private words.")

    progress = admin_client.get(reverse("admin:lessons_progress_changelist")).content.decode()
    reflections = admin_client.get(reverse("admin:lessons_reflection_changelist")).content
    reflection = admin_client.get(
        reverse("admin:lessons_reflection_change", args=[alice.reflections.get().pk])
    ).content

    assert "Relationships take work, and you can do it" in progress
    assert b"Relationships take work, and you can do it" in reflections
    assert b"Alice&#x27;s private words." not in reflection + reflections
    assert b"Alice's private words." not in reflection + reflections
