"""new customer / project / contact / person / care."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Optional

import typer

from crmctl.cli.common import (
    EXIT_OK,
    Attitude,
    Category,
    Channel,
    CustomerArgument,
    Function,
    Influence,
    Kind,
    LangOption,
    Level,
    Market,
    Mode,
    OurRole,
    RepoOption,
    Size,
    Tier,
    _messages,
    _root,
    print_written,
)

# -- new -------------------------------------------------------------------------

def _written(written) -> int:
    print_written(written)
    return EXIT_OK


def new_customer(
    name: Annotated[str, typer.Argument(metavar="NAME", help="Full name, e.g. 北京市环境卫生集团.")],
    category: Annotated[Category, typer.Option(help="Customer category.")],
    market: Annotated[Market, typer.Option(help="Market (sets the fees).")],
    tier: Annotated[Tier, typer.Option(help="A strategic, B key, C general.")],
    owner: Annotated[str, typer.Option(help="Our person responsible.")],
    region: Annotated[str, typer.Option(help="Sales region.")],
    channel: Annotated[Channel, typer.Option(help="direct or dealer.")] = "direct",
    kind: Annotated[Optional[Kind], typer.Option(help="Government or individual kind.")] = None,
    size: Annotated[Optional[Size], typer.Option(help="Enterprise size as known.")] = None,
    dealer: Annotated[Optional[str], typer.Option(help="The dealer, when channel is dealer.")] = None,
    short_name: Annotated[Optional[str], typer.Option(help="Short name.")] = None,
    cross_regional: Annotated[bool, typer.Option("--cross-regional/--regional", help="Operates across regions.")] = False,
    fleet_size: Annotated[Optional[int], typer.Option(min=0, help="Vehicles owned now.")] = None,
    since: Annotated[Optional[dt.datetime], typer.Option(formats=["%Y-%m-%d"], help="Customer since (default: today).")] = None,
    customer_id: Annotated[Optional[str], typer.Option("--id", help="The id (default: derived from the name, pinyin for Chinese).")] = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """Create customers/<id>/ with customer.yaml, contacts.yaml and activities.yaml.

    Example: crmctl new customer 北京市环境卫生集团 --category government --kind institution
    --market local --tier A --owner 张明 --region 北京 --id bj-huanwei
    """
    from crmctl.files.scaffold import new_customer as create

    root = _root(repo, lang)
    return _written(create(
        root, _messages(lang, root), name=name, category=category, market=market, tier=tier,
        channel=channel, owner=owner, region=region, kind=kind, size=size, dealer=dealer, short_name=short_name,
        cross_regional=cross_regional, fleet_size=fleet_size, since=since.date() if since else None,
        customer_id=customer_id))


def new_project(
    customer: CustomerArgument,
    name: Annotated[str, typer.Argument(metavar="NAME", help="Project name, e.g. 2027年环卫车辆更新采购.")],
    owner: Annotated[str, typer.Option(help="Our project manager.")],
    opened: Annotated[Optional[dt.datetime], typer.Option(formats=["%Y-%m-%d"], help="Opened on (default: today).")] = None,
    expected_close: Annotated[Optional[dt.datetime], typer.Option(formats=["%Y-%m-%d"], help="Expected close.")] = None,
    quantity: Annotated[Optional[int], typer.Option(min=0, help="Vehicles to buy.")] = None,
    budget: Annotated[Optional[str], typer.Option(help="Budget, as people write it: 500000, 500,000, 50万, 1.2亿.")] = None,
    mode: Annotated[Optional[Mode], typer.Option("--mode", help="Procurement mode.")] = None,
    project_id: Annotated[Optional[str], typer.Option("--id", help="The id (default: derived from the name).")] = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """Create customers/<customer>/projects/<id>/project.yaml.

    Example: crmctl new project bj-huanwei 2027年环卫车辆更新 --owner 王磊 --quantity 30 --id renewal-2027
    """
    from crmctl.files.scaffold import new_project as create

    root = _root(repo, lang)
    return _written(create(
        root, _messages(lang, root), customer, name=name, owner=owner,
        opened=opened.date() if opened else None, expected_close=expected_close.date() if expected_close else None,
        quantity=quantity, budget=budget, procurement_mode=mode, project_id=project_id))


def new_contact(
    customer: CustomerArgument,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The person's name, e.g. 李建.")],
    title: Annotated[Optional[str], typer.Option(help="Job title.")] = None,
    department: Annotated[Optional[str], typer.Option(help="Department.")] = None,
    phone: Annotated[Optional[str], typer.Option(help="Phone.")] = None,
    email: Annotated[Optional[str], typer.Option(help="Email.")] = None,
    reports_to: Annotated[Optional[str], typer.Option(help="Contact id of the superior.")] = None,
    level: Annotated[Optional[Level], typer.Option(help="Decision level.")] = None,
    function: Annotated[Optional[Function], typer.Option(help="Function in purchasing.")] = None,
    influence: Annotated[Optional[Influence], typer.Option(help="Influence.")] = None,
    attitude: Annotated[Attitude, typer.Option(help="Attitude towards us.")] = "unknown",
    contact_id: Annotated[Optional[str], typer.Option("--id", help="The id (default: pinyin of the name).")] = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """Add a person to the customer's contacts.yaml (the rest of the file is left as it is).

    Example: crmctl new contact bj-huanwei 李建 --title 采购部长 --function procurement --attitude supporter
    """
    from crmctl.files.scaffold import new_contact as create

    root = _root(repo, lang)
    return _written(create(
        root, _messages(lang, root), customer, name=name, title=title, department=department, phone=phone,
        email=email, reports_to=reports_to, level=level, function=function,
        influence=influence, attitude=attitude, contact_id=contact_id))


def new_person(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The person's name, e.g. 王磊.")],
    role: Annotated[OurRole, typer.Option(help="Their role on our side.")],
    region: Annotated[Optional[str], typer.Option(help="Sales region.")] = None,
    phone: Annotated[Optional[str], typer.Option(help="Phone.")] = None,
    email: Annotated[Optional[str], typer.Option(help="Email.")] = None,
    person_id: Annotated[Optional[str], typer.Option("--id", help="The id (default: pinyin of the name).")] = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """Add one of our own people to people.yaml: once it exists, check warns on owners and
    authors it does not know, and new and log refuse them.

    Example: crmctl new person 王磊 --role project_manager --region 北京
    """
    from crmctl.files.scaffold import new_person as create

    root = _root(repo, lang)
    return _written(create(root, _messages(lang, root), name=name, role=role, region=region, phone=phone,
                           email=email, person_id=person_id))


def new_care(
    customer: CustomerArgument,
    station: Annotated[Optional[str], typer.Option(help="The designated service station, e.g. 天津津宏服务站.")] = None,
    station_contact: Annotated[Optional[str], typer.Option(help="The station's named person and phone.")] = None,
    our: Annotated[Optional[list[str]], typer.Option(
        help="Our named contact, by id or name (repeatable; default: the customer's owner).")] = None,
    contact: Annotated[Optional[list[str]], typer.Option(
        "--contact", "-c", help="The customer's named contact, by id or name (repeatable).")] = None,
    since: Annotated[Optional[dt.datetime], typer.Option(
        formats=["%Y-%m-%d"], help="When care began (default: the first signed contract).")] = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """Start the customer's care plan, care.yaml: the service station and named contacts on both
    sides, with empty sections for the vehicle users, trainings, care activities, meetings and
    satisfaction evaluations. crmctl due then lists what it has due.

    Example: crmctl new care tj-hongyun-qingyun --station 天津津宏服务站 -c guo-feng
    """
    from crmctl.files.scaffold import new_care_plan as create

    root = _root(repo, lang)
    return _written(create(root, _messages(lang, root), customer, station=station, station_contact=station_contact,
                           ours=tuple(our or ()), contacts=tuple(contact or ()),
                           since=since.date() if since else None))
