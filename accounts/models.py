import zoneinfo
from datetime import date

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def lock(self, pk: int) -> None:
        """Take, inside the caller's transaction, the lock every per-person writer takes on
        this person's row first, so two such writes for one person queue. A no-key lock:
        rows that merely refer to the person (their entries being saved meanwhile, each with
        its foreign-key check) need not wait for it."""
        self.select_for_update(no_key=True).filter(pk=pk).first()


class User(AbstractUser):
    """A person using the app: email is the login; everyone can keep a journal."""

    class Role(models.TextChoices):
        CLIENT = "client", "Client"
        THERAPIST = "therapist", "Therapist"

    class HereFor(models.TextChoices):
        """Why someone uses Closer: what their home page and menu are made of."""

        MYSELF = "myself", "For myself"
        PRACTICE = "practice", "As a therapist or coach"
        BOTH = "both", "Both: with my clients, and for myself"

    class Situation(models.TextChoices):
        """ "Right now I am…": what the lessons, the path and the journal's words follow."""

        TOGETHER = "together", "In a relationship"
        DATING = "dating", "Dating"
        SINGLE = "single", "Single"
        BETWEEN = "between", "Between relationships"
        UNSAID = "unsaid", "Rather not say"

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        max_length=60, blank=True, help_text="What the app calls you. 60 characters at most."
    )
    time_zone = models.CharField(max_length=64, default="UTC")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.CLIENT)
    # A therapist who chose to keep a journal of their own sees its prompts; a client always.
    keeps_journal = models.BooleanField(default=True)
    # Empty until the user answers; an empty answer reads as the partner wording (the default).
    situation = models.CharField(
        "right now I am", max_length=10, choices=Situation.choices, blank=True
    )

    # On a shared phone: every reminder and notice says only "A moment for you".
    discreet_reminders = models.BooleanField(
        "discreet reminders",
        default=False,
        help_text="Every email subject and notification says only “A moment for you”.",
    )
    sender_name = models.CharField(
        max_length=40,
        blank=True,
        help_text="The name our emails to you come from; the address stays ours.",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    def __str__(self) -> str:
        return self.display_name or self.email

    @cached_property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def local_today(self) -> date:
        """Today's date where the user lives."""
        return timezone.now().astimezone(self.zone).date()

    @property
    def has_partner(self) -> bool:
        """In a relationship, as far as the user has told us (not answering keeps the default)."""
        return self.situation in ("", self.Situation.TOGETHER)

    @property
    def practises_alone(self) -> bool:
        """Lessons offer this reader the practice for people without a partner first."""
        alone = (self.Situation.SINGLE, self.Situation.BETWEEN, self.Situation.DATING)
        return self.situation in alone

    @property
    def is_therapist(self) -> bool:
        return self.role == self.Role.THERAPIST

    @property
    def here_for(self) -> str:
        if not self.is_therapist:
            return self.HereFor.MYSELF
        return self.HereFor.BOTH if self.keeps_journal else self.HereFor.PRACTICE

    @property
    def journal_prompts(self) -> bool:
        """Whether pages offer this person journal prompts, lessons and reminders."""
        return not self.is_therapist or self.keeps_journal


class DataKey(models.Model):
    """The person's own data key, wrapped by a master key (core/crypto.py).

    Everything they write is sealed with it. The database deletes this row with the account,
    in the same statement: from then on their text cannot be decrypted, in the live database
    or in any backup taken before (crypto-shredding).
    """

    user = models.OneToOneField(
        User, on_delete=models.DB_CASCADE, primary_key=True, related_name="data_key"
    )
    # Random, and named in every text it seals, so a key is never mistaken for another.
    key_id = models.CharField(max_length=16, unique=True)
    wrapped = models.BinaryField(help_text="The key, encrypted by a master key.")
    created_at = models.DateTimeField(auto_now_add=True)
    wrapped_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Data key {self.key_id} of user {self.user_id}"
