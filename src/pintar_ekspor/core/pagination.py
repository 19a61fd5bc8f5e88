"""One pagination helper and one page envelope for every list endpoint."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")


class PageParams(BaseModel):
    """Validated `limit` / `offset` query parameters."""

    limit: int = 20
    offset: int = 0


# Databases take a signed 64-bit OFFSET (PostgreSQL raised a 500 above 2^63-1); 2^53 also
# keeps the echoed `offset` exact in JavaScript, the web app's number type.
MAX_OFFSET = 2**53
MAX_LIMIT = 100


async def _page_params(
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description=f"Items per page (1-{MAX_LIMIT})")
    ] = 20,
    offset: Annotated[
        int, Query(ge=0, le=MAX_OFFSET, description=f"Items to skip (0-{MAX_OFFSET})")
    ] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


Pagination = Annotated[PageParams, Depends(_page_params)]


class Page(BaseModel, Generic[T]):
    """A page of results with the total count of matching items."""

    items: list[T]
    total: int
    limit: int
    offset: int

    @classmethod
    def of(cls, items: Iterable[T], total: int, params: PageParams) -> Page[T]:
        """The page envelope for `items` fetched with `params`."""
        return cls(items=list(items), total=total, limit=params.limit, offset=params.offset)


async def paginate(
    session: AsyncSession, stmt: Select[Any], params: PageParams, *, window_count: bool = False
) -> tuple[Sequence[Any], int]:
    """Run `stmt` for one page and count all matching rows (two queries, never N+1).

    `window_count=True` (a statement selecting one entity): the total rides on the page's
    rows as `count(*) OVER ()`, one query; a COUNT runs only for a page past the end.
    """
    if window_count:
        windowed = stmt.add_columns(func.count().over()).limit(params.limit).offset(params.offset)
        found = (await session.execute(windowed)).all()
        if found or params.offset == 0:
            return [row[0] for row in found], int(found[0][1]) if found else 0
    count_stmt = select(func.count()).select_from(stmt.order_by(None).subquery())
    total = (await session.execute(count_stmt)).scalar_one()
    rows = (await session.scalars(stmt.limit(params.limit).offset(params.offset))).all()
    return rows, int(total)
