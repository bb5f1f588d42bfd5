"""The inburgeraar (Client), their household and their case at the municipality."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, Date, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.dates import PartialDate
from app.domain.enums import TargetGroup
from app.models.base import Base, SyncedAggregate


class Household(SyncedAggregate, Base):
    __tablename__ = "household"

    # The COA hand-over's household label: it names a household within one list, not across lists.
    label: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    members: Mapped[list[Client]] = relationship(back_populates="household")


class Client(SyncedAggregate, Base):
    __tablename__ = "client"

    v_nummer: Mapped[str] = mapped_column(String(10), nullable=False, unique=True)
    bsn: Mapped[str | None] = mapped_column(String(9), nullable=True, unique=True)
    family_name: Mapped[str] = mapped_column(String(500), nullable=False)
    given_names: Mapped[str] = mapped_column(String(500), nullable=False)
    name_original: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    # 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD': many dates of birth are only partly known.
    birth_date: Mapped[str] = mapped_column(String(10), nullable=False)
    nationality: Mapped[str | None] = mapped_column(String(3), nullable=True)
    languages: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    document_language: Mapped[str | None] = mapped_column(String(16), nullable=True)
    target_group: Mapped[str] = mapped_column(String(32), nullable=False, default=TargetGroup.ASIEL.value)
    household_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("household.id", ondelete="SET NULL"), nullable=True, index=True
    )

    household: Mapped[Household | None] = relationship(back_populates="members")
    case: Mapped[Case | None] = relationship(back_populates="client", uselist=False)

    @property
    def display_name(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()

    @property
    def birth(self) -> PartialDate:
        return PartialDate.parse(self.birth_date)


class Case(SyncedAggregate, Base):
    """The municipality's case for one client: where they are and the dates deadlines count from."""

    __tablename__ = "client_case"

    client_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("client.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    municipality: Mapped[str] = mapped_column(String(200), nullable=False)
    klantmanager: Mapped[str | None] = mapped_column(String(200), nullable=True)
    coa_location: Mapped[str | None] = mapped_column(String(200), nullable=True)
    koppeldatum: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    huisvestingsdatum: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # The day the IND made the residence right known: the integration duty starts then.
    melddatum: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # The benefit (uitkering): ontzorgen is for asylum statushouders on bijstand, from its first day.
    benefit: Mapped[str | None] = mapped_column(String(16), nullable=True)
    benefit_start: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # Verhuizing: the old municipality closes the case (moved_to, moved_on); the new one records
    # where the person came from and which hand-over it imported (a second import is a duplicate).
    moved_to: Mapped[str | None] = mapped_column(String(200), nullable=True)
    moved_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    moved_from: Mapped[str | None] = mapped_column(String(200), nullable=True)
    transfer_id: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)

    client: Mapped[Client] = relationship(back_populates="case")
