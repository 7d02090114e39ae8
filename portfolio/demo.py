"""Demo data: three users who can sign in at once, and a practitioner's believable CPD log.

The entries are drawn from the project's seed texts (social workers learning through Twitter
chats, blogs, forums and communities of practice in 2011-12). They are data, not code, listed
in the order they happened; the dates are given when the demo is loaded, relative to ``today``,
so the demo looks alive on any day of the year:

- the current CPD year holds the last complete entries of the list, then the drafts. Their
  number grows evenly through the year, from ``FIRST_DAY_ENTRIES`` complete entries on its
  first day to all but ``PREVIOUS_YEAR_ENTRIES`` on its last;
- they are spread evenly from the year's first day to ``today``, so on the first day they are
  all dated today, and none is ever in the future;
- the previous CPD year holds the other complete entries, spread evenly across the whole of
  it, and meets the regulator's rules (programmes.demo has it signed off).

No entry names or describes anyone who uses services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.models import Role, User
from core.cpd_year import CpdYear, cpd_year_containing

from .activities import save_activity
from .models import Activity, ActivityType, Capability, Platform, Status

DEMO_PASSWORD = "demo-cpd-2026"  # noqa: S105 - documented in the README and printed by load_demo


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str


DEMO_USERS: list[dict[str, str | bool]] = [
    {
        "email": "practitioner@example.org",
        "display_name": "Alex Morgan",
        "pseudonym": "frontline_amhp",
        "registration_number": "SW123456",
        "role": Role.PRACTITIONER,
        "specialism": "Adult mental health, AMHP",
        "employer": "Northshire County Council",
    },
    {
        "email": "leader@example.org",
        "display_name": "Dr Sam Patel",
        "role": Role.PROGRAMME_LEADER,
        "specialism": "Programme leader, advanced post-qualifying social work",
    },
    {
        "email": "admin@example.org",
        "display_name": "Site admin",
        "role": Role.ADMIN,
        "is_superuser": True,
    },
]


@dataclass(frozen=True)
class DemoEntry:
    activity_type: str
    platform: str
    title: str
    minutes: int | None = None
    url: str = ""
    hashtag: str = ""
    what_happened: str = ""
    what_learned: str = ""
    impact: str = ""
    peer_role: str = ""
    peer_learning: str = ""
    capabilities: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    draft: bool = False


T, P = ActivityType, Platform

DEMO_ENTRIES: list[DemoEntry] = [
    DemoEntry(
        activity_type=T.READING,
        platform=P.WEBSITE,
        title="Social Work England's CPD guidance: planning my registration year",
        minutes=45,
        url="https://www.socialworkengland.org.uk/cpd/",
        what_happened="At the start of the new registration year I reread the regulator's CPD "
        "guidance and set aside an hour to sketch a plan rather than scrambling in November "
        "as I did last time.",
        what_learned="The requirement is modest (at least two pieces, one discussed with a "
        "peer) but what assessors look for is the *impact* statement. Last year my entries "
        "described what I attended and said little about what changed for anyone.",
        impact="I will log entries within a week of the learning, while I can still name a "
        "concrete change in my practice, and I will book the peer conversations in advance so "
        "they are not an afterthought. Better-evidenced learning should mean better-explained "
        "decisions for the people I assess.",
        capabilities=("SWE4", "PCF1"),
        tags=("cpd planning",),
    ),
    DemoEntry(
        activity_type=T.BLOG_READ,
        platform=P.BLOG,
        title="Martin Webber: “The role of social media in social workers' CPD”",
        minutes=30,
        what_happened="I read a programme leader's critical appraisal of social media for a "
        "social worker's CPD, written as a contribution to a live Twitter debate. He sets out "
        "benefits and pitfalls side by side.",
        what_learned="The pitfalls rang truer than I expected:\n\n"
        "- social media is not peer reviewed, so *I* have to appraise everything I read;\n"
        "- the few social workers who use it may not be representative of the profession;\n"
        "- it is hard to bring ideas learnt online into a bureaucratic workplace.\n\n"
        "He calls it both a distraction and a critical friend, which is how it feels to me.",
        impact="I will treat what I read online as a lead to check, not as evidence, and look "
        "for the research or guidance behind a claim before it shapes a decision about "
        "someone's care.",
        capabilities=("PCF6", "PCF5", "SWE4"),
        tags=("social media", "critical appraisal"),
    ),
    DemoEntry(
        activity_type=T.PEER_DISCUSSION,
        platform=P.IN_PERSON,
        title="Supervision: agreeing how online learning fits into my development plan",
        minutes=60,
        what_happened="In formal supervision with my team manager I raised that most of my "
        "recent learning has come from Twitter, blogs and webinars rather than courses, and "
        "asked whether that counts.",
        what_learned="My manager was more open than I assumed, provided I can show how the "
        "learning connects to the team's priorities. We agreed the test is not where I "
        "learnt something but whether I can explain its effect on my practice.",
        impact="We added two online learning goals to my plan, both about mental capacity "
        "assessment, and I will bring one example to each supervision. This keeps my "
        "self-directed learning tied to the work the team actually does with people.",
        peer_role="team manager",
        peer_learning="We talked about the organisation's social media policy, which I had "
        "never read closely. My manager pointed out that it permits professional use as long "
        "as nothing about our work with individuals is shared. Hearing that from a manager "
        "made me less anxious about being visible online.",
        capabilities=("SWE4", "PCF6", "PCF8"),
        tags=("supervision", "social media"),
    ),
    DemoEntry(
        activity_type=T.TWEET_READ,
        platform=P.X,
        title="Community Care's “100 social care tweeps” list",
        minutes=20,
        url="https://www.communitycare.co.uk/",
        what_happened="I followed Community Care's curated list of social care accounts and "
        "spent a lunch break reading what the people on it were sharing.",
        what_learned="A curated list is a quicker way in than building a feed from scratch, "
        "but it reflects the editors' choices. Few of the accounts were frontline mental "
        "health practitioners, and almost none were people with lived experience.",
        impact="I kept the list but added accounts run by user-led mental health groups, so "
        "that the voices I learn from include the people services are for.",
        capabilities=("PCF8", "SWE4"),
        tags=("social media",),
    ),
    DemoEntry(
        activity_type=T.READING,
        platform=P.WEBSITE,
        title="@ermintrude2: “Should social workers use social media?”",
        minutes=25,
        url="https://www.communitycare.co.uk/",
        what_happened="I read a frontline social worker's pros and cons of social media in "
        "Community Care: knowledge, connections, conversations, professional identity and "
        "resilience on one side; identity, confidentiality and ethics on the other.",
        what_learned="The point that stayed with me was that an anonymous identity does not "
        "exempt anyone from professional standards. Writing under a pseudonym protects me, "
        "not the people I work with; their privacy depends on what I choose to write.",
        impact="Before posting about work I now ask one question: *could anyone recognise "
        "this situation?* If the answer is maybe, I do not post. I would rather lose a good "
        "discussion than risk someone's trust.",
        capabilities=("PCF2", "SWE2", "SWE5"),
        tags=("social media", "anonymity", "confidentiality"),
    ),
    DemoEntry(
        activity_type=T.WEBINAR,
        platform=P.WEBSITE,
        title="E-learning module: the five principles of the Mental Capacity Act",
        minutes=90,
        url="https://www.scie.org.uk/",
        what_happened="I completed an e-learning module on the Mental Capacity Act principles, "
        "with short scenarios on supported decision-making and unwise decisions.",
        what_learned="I knew the principles by heart but the scenarios showed how quickly "
        "the presumption of capacity slips when someone's choice worries professionals. The "
        "second principle, taking all practicable steps to support a decision, is the one I "
        "record least well.",
        impact="My assessments now record the specific steps I took to help the person decide "
        "(timing, a quieter room, an advocate, information in another format) before I "
        "conclude they lack capacity.",
        capabilities=("PCF5", "SWE1", "PCF4"),
        tags=("mental capacity", "e-learning"),
    ),
    DemoEntry(
        activity_type=T.FORUM,
        platform=P.FORUM,
        title="MHA/MCA email group: assessing capacity when it fluctuates",
        minutes=40,
        what_happened="A thread on a national email group for Mental Health Act and Mental "
        "Capacity Act practitioners asked how to approach a decision when a person's capacity "
        "varies across the day. I followed it over a week and added a question of my own.",
        what_learned="Contributors converged on the same advice from different directions: "
        "if the decision can wait, assess at the person's best time, and record why the "
        "timing was chosen. A solicitor on the list also pointed out that a pattern of "
        "fluctuation can itself be relevant to whether someone can retain information.",
        impact="I have changed how I plan visits for decisions that are not urgent: I ask the "
        "person and those close to them when they are at their clearest and book then.",
        capabilities=("PCF5", "PCF6", "SWE3"),
        tags=("mental capacity", "forums"),
    ),
    DemoEntry(
        activity_type=T.PEER_DISCUSSION,
        platform=P.IN_PERSON,
        title="Group supervision: a Mental Health Act assessment that felt rushed",
        minutes=90,
        what_happened="In monthly group supervision I presented, in outline only, an "
        "assessment where pressure for a bed made the process feel rushed and the family "
        "were left unsure what had happened and why.",
        what_learned="Using *What? So what? Now what?* made me separate the decision, which "
        "I still think was right, from the way it was carried out, which I do not. My "
        "explanation to relatives had come after the decision, not during it.",
        impact="I now make time to explain my role and the options to the nearest relative "
        "before the outcome is decided, even when time is short. Families who understand the "
        "process are better placed to support the person afterwards.",
        peer_role="senior practitioner facilitating group supervision",
        peer_learning="Two colleagues described similar pressure. One suggested a short "
        "written sheet explaining the AMHP role that can be left with the family; the group "
        "agreed to draft one together.",
        capabilities=("PCF6", "PCF7", "SWE3"),
        tags=("supervision", "mental health act", "reflection"),
    ),
    DemoEntry(
        activity_type=T.BLOG_READ,
        platform=P.BLOG,
        title="The College of Social Work's statement on CPD and social media",
        minutes=20,
        what_happened="I read the statement The College of Social Work wrote for a workshop "
        "on social media and CPD, reblogged on a social work academic's blog.",
        what_learned="Its central line, that what matters is the impact of learning rather "
        "than the way it is delivered, gave me permission to value learning that does not "
        "come with a certificate. It also reminded me that communities of practice and "
        "e-learning exist precisely because training budgets shrink.",
        impact="I stopped waiting for a place on the annual course and looked for the "
        "communities of practice I could join now, which led to the Knowledge Hub group I "
        "have since joined.",
        capabilities=("PCF1", "PCF8", "SWE4"),
        tags=("cpd planning", "social media"),
    ),
    DemoEntry(
        activity_type=T.TWEET_READ,
        platform=P.X,
        title="Following the #12thMW workshop live-tweets on social media and CPD",
        minutes=150,
        hashtag="12thMW",
        what_happened="I could not get a place at the workshop on the benefits and pitfalls "
        "of social media for social work CPD, so I followed the live-tweeting under #12thMW "
        "for the afternoon and saved the threads I wanted to return to.",
        what_learned="Following a live-tweeted event is a thinner experience than being in "
        "the room: I saw conclusions without the argument that led to them. The most useful "
        "tweets were the ones that linked to papers or policy, which I could then read "
        "properly.",
        impact="For future live-tweeted events I will note the two or three sources I want "
        "to read in full and book time to do it, rather than counting the afternoon of "
        "scrolling as the learning.",
        capabilities=("PCF6", "PCF8", "SWE4"),
        tags=("social media", "live events"),
    ),
    DemoEntry(
        activity_type=T.READING,
        platform=P.WEBSITE,
        title="Reading BASW's CPD policy",
        minutes=45,
        url="https://www.basw.co.uk/",
        what_happened="I read the British Association of Social Workers' CPD policy alongside "
        "the Professional Capabilities Framework to see how the two fit together.",
        what_learned="The policy frames CPD as a shared responsibility: the practitioner "
        "identifies needs, and the employer provides time and supervision. I had been "
        "treating it as something I do alone in my own evenings.",
        impact="I raised protected learning time at the next team meeting, citing the policy. "
        "The team now has a fortnightly hour for reading and discussion, which benefits "
        "colleagues who do not use social media at all.",
        capabilities=("PCF1", "PCF9", "SWE4"),
        tags=("cpd planning",),
    ),
    DemoEntry(
        activity_type=T.WEBINAR,
        platform=P.VIDEO_CALL,
        title="Knowledge Hub community of practice webinar: strengths-based mental health work",
        minutes=75,
        url="https://khub.net/",
        what_happened="I joined a webinar run by a community of practice on Knowledge Hub, "
        "where practitioners from three local authorities presented how they use "
        "strengths-based conversations in mental health social work.",
        what_learned="One presenter showed that her team's assessments had started with "
        "risk and only reached strengths at the end, if at all. Reordering the conversation "
        "changed what people were willing to tell them.",
        impact="I have started Care Act assessments by asking what is going well and who "
        "matters to the person. People seem more at ease, and the support plans draw on "
        "their own networks rather than defaulting to services.",
        capabilities=("PCF7", "SWE1", "PCF3"),
        tags=("strengths-based practice", "communities of practice"),
    ),
    DemoEntry(
        activity_type=T.FORUM,
        platform=P.FORUM,
        title="CareSpace forum: should social workers post under their own names?",
        minutes=35,
        what_happened="I took part in a forum discussion on Community Care's CareSpace about "
        "whether social workers should use their real names online, prompted by a member "
        "whose employer had asked her to stop blogging.",
        what_learned="The thread split cleanly: some argued that a named presence improves "
        "the profession's image; others that fear for jobs is real and a pseudonym is the "
        "only way some practitioners will speak at all. Both sides agreed that anonymity "
        "changes nothing about confidentiality.",
        impact="I decided to keep my pseudonym and wrote a short set of personal rules for "
        "what I post. I shared them with my team manager so there are no surprises.",
        capabilities=("PCF2", "SWE5"),
        tags=("anonymity", "social media", "forums"),
    ),
    DemoEntry(
        activity_type=T.PEER_DISCUSSION,
        platform=P.VIDEO_CALL,
        title="Peer discussion with a fellow AMHP: what the least restrictive option means",
        minutes=50,
        what_happened="I arranged a video call with an AMHP from a neighbouring authority "
        "after we had both commented on the same online thread about alternatives to "
        "admission.",
        what_learned="Her team routinely involves the crisis house before an assessment "
        "rather than after it. Our local alternatives exist but I had come to think of them "
        "as unavailable without checking.",
        impact="I now phone the crisis and home treatment options myself before the "
        "assessment, so the least restrictive option is a real choice on the day rather "
        "than a box I tick afterwards.",
        peer_role="fellow AMHP",
        peer_learning="We compared how each of our areas records the alternatives considered. "
        "Hers asks for the reason each was not used; ours does not. I proposed adding that "
        "field to our AMHP report template.",
        capabilities=("PCF4", "PCF7", "SWE1"),
        tags=("mental health act", "peer support"),
    ),
    DemoEntry(
        activity_type=T.BLOG_WRITTEN,
        platform=P.BLOG,
        title="Blog post: forums, blogs and Twitter as a learning toolkit",
        minutes=120,
        what_happened="I wrote a post for my pseudonymous blog on how I use forums, blogs and "
        "Twitter for different kinds of learning, and asked a practice educator to read the "
        "draft before publishing.",
        what_learned="Writing forced me to be honest about the balance. Forums give me depth "
        "on a legal question; Twitter gives breadth and quick pointers; blogs, including "
        "writing my own, make me *think in paragraphs*, which is where reflection actually "
        "happens for me.",
        impact="The post has had comments from two students on placement asking how to start. "
        "I now signpost new colleagues to the communities I find useful instead of assuming "
        "they will find their own way.",
        peer_role="practice educator",
        peer_learning="She asked whether any example in the draft could be traced to a real "
        "situation. One could, by someone who knew my team, so I replaced it with a general "
        "description. We also discussed how a blog could be evidence of PCF leadership.",
        capabilities=("PCF9", "PCF1", "SWE4"),
        tags=("social media", "writing", "anonymity"),
    ),
    DemoEntry(
        activity_type=T.READING,
        platform=P.WEBSITE,
        title="Journal article on social capital and connecting people in mental health",
        minutes=60,
        url="https://academic.oup.com/bjsw",
        what_happened="I read a journal article on interventions that help people who use "
        "mental health services build and use social connections, rather than relying only "
        "on professional support.",
        what_learned="The research frames connection as a resource that can be mapped and "
        "grown, not a nice extra. People's existing networks are often larger than the "
        "referral suggests once someone asks the right questions.",
        impact="I have started using a simple network map in reviews. It has already helped "
        "one person reconnect with a community group they had stopped attending, which "
        "matters more to them than any service I could arrange.",
        capabilities=("PCF5", "PCF4", "SWE1"),
        tags=("research", "social capital"),
    ),
    DemoEntry(
        activity_type=T.OTHER,
        platform=P.PODCAST,
        title="Podcast: decision-making and best interests under the Mental Capacity Act",
        minutes=40,
        what_happened="On the drive between visits I listened to a podcast episode in which "
        "a barrister and a social worker discussed recent Court of Protection judgments on "
        "best interests decisions.",
        what_learned="The judgments repeatedly stress the person's wishes, feelings, values "
        "and beliefs as the starting point, not a factor to weigh at the end. I had been "
        "writing best interests records that led with risk.",
        impact="I have restructured my best interests records to open with what the person "
        "wants and why, so that anyone reading it sees their voice first.",
        capabilities=("PCF5", "PCF6"),
        tags=("mental capacity", "podcasts"),
    ),
    DemoEntry(
        activity_type=T.TWEET_READ,
        platform=P.BLUESKY,
        title="Bluesky thread on proposed changes to the Mental Health Act",
        minutes=20,
        what_happened="I read a long Bluesky thread by a mental health law academic walking "
        "through proposed reforms to the Mental Health Act and what they might mean for AMHPs.",
        what_learned="The thread was clear and well sourced, but the replies showed how much "
        "is still uncertain about implementation. I noticed I had absorbed some claims from "
        "earlier posts that the thread corrected.",
        impact="I went back to the government's own summary before discussing the changes "
        "with colleagues, and I will check primary sources before repeating anything about "
        "legal change to the people I work with or their families.",
        capabilities=("PCF8", "PCF5", "SWE4"),
        tags=("mental health act", "social media"),
    ),
    DemoEntry(
        activity_type=T.COURSE,
        platform=P.IN_PERSON,
        title="AMHP refresher training day: legal update",
        minutes=360,
        what_happened="I attended the annual AMHP refresher required for my warrant: case law "
        "updates, a session on the interface between the two Acts, and a small-group "
        "exercise on a written scenario.",
        what_learned="The session on choosing between the Mental Health Act and the Mental "
        "Capacity Act was the most useful: where a person is objecting, the question is not "
        "which Act is more convenient but which one lawfully fits.",
        impact="I will document my reasoning about which legal framework applies at the start "
        "of each assessment, which protects the person's rights and makes my decisions easier "
        "to scrutinise.",
        peer_role="fellow AMHP",
        peer_learning="In the breakout group another AMHP and I disagreed about the scenario. "
        "Talking it through showed that we agreed on the law but weighed the person's "
        "objection differently; I came away more alert to my own assumptions.",
        capabilities=("PCF5", "PCF7", "SWE3"),
        tags=("mental health act", "mental capacity", "training"),
    ),
    DemoEntry(
        activity_type=T.PEER_DISCUSSION,
        platform=P.IN_PERSON,
        title="Supervision: confidentiality and what I share online",
        minutes=45,
        what_happened="After a colleague elsewhere was disciplined for posting about a case, I "
        "asked my team manager to use part of supervision to review how I use social media "
        "against the professional standards.",
        what_learned="Walking through my recent posts with someone else was uncomfortable "
        "and useful. Nothing identified anyone, but two posts expressed frustration with a "
        "partner agency in a way that could undermine trust in the profession.",
        impact="I now wait a day before posting anything written in frustration. The people I "
        "work with should be able to trust that I speak about services, and about them, with "
        "respect.",
        peer_role="team manager",
        peer_learning="My manager shared how she handles her own online presence and where "
        "she draws the line between comment and criticism. We agreed I would raise concerns "
        "about partner agencies through the proper routes, not online.",
        capabilities=("PCF2", "SWE5", "SWE6"),
        tags=("supervision", "confidentiality", "social media"),
    ),
    DemoEntry(
        activity_type=T.OTHER,
        platform=P.LINKEDIN,
        title="LinkedIn article on carers' rights when someone is in crisis",
        minutes=15,
        what_happened="I read a LinkedIn article by a carers' organisation on how carers' "
        "own needs are overlooked when the person they care for is in a mental health crisis.",
        what_learned="Carers described being asked for information during an assessment but "
        "never asked how they were coping. That is a fair description of my own practice on "
        "a busy day.",
        impact="I now offer a carer's assessment, or at least a referral, at the end of every "
        "Mental Health Act assessment where a carer is involved, and record the offer.",
        capabilities=("PCF4", "SWE1"),
        tags=("carers",),
    ),
    DemoEntry(
        activity_type=T.WEBINAR,
        platform=P.WEBSITE,
        title="Research in Practice webinar: trauma-informed practice in adult services",
        minutes=60,
        url="https://www.researchinpractice.org.uk/",
        what_happened="I watched a webinar on trauma-informed approaches in adult social care, "
        "with a speaker who has lived experience of compulsory admission.",
        what_learned="Her account of being assessed made the point more powerfully than any "
        "framework: *how* things were done, such as who came through the door first and "
        "whether anyone explained, mattered as much as the outcome.",
        impact="I now think about the practical arrangements of an assessment (who attends, "
        "where, what the person is told beforehand) as part of the intervention, and ask the "
        "person what would make it feel safer.",
        capabilities=("PCF3", "PCF5", "SWE2"),
        tags=("trauma-informed practice", "lived experience"),
    ),
    DemoEntry(
        activity_type=T.READING,
        platform=P.WEBSITE,
        title="Mental Capacity Act Code of Practice: the chapter on best interests",
        minutes=50,
        url="https://www.gov.uk/government/publications/mental-capacity-act-code-of-practice",
        what_happened="Prompted by the podcast on best interests decisions, I reread the Code of "
        "Practice chapter on working out best interests.",
        what_learned="The checklist includes consulting anyone the person has named and "
        "anyone engaged in caring for them. I had been consulting whoever was easiest to "
        "reach, usually other professionals.",
        impact="My best interests records now list who I consulted and who I could not reach, "
        "and why. Families tell me they feel included rather than informed after the fact.",
        capabilities=("PCF5", "SWE3"),
        tags=("mental capacity",),
    ),
    DemoEntry(
        activity_type=T.PEER_DISCUSSION,
        platform=P.IN_PERSON,
        title="Reflective discussion with a practice educator about supporting a student",
        minutes=45,
        what_happened="A social work student on placement shadowed me for a month. Near the "
        "end I met the practice educator to reflect on what I had modelled, well and badly.",
        what_learned="Explaining my reasoning aloud to a student exposed the steps I skip "
        "when I am busy. I was better at explaining the law than at explaining how I "
        "decide when to stop gathering information.",
        impact="I have started saying my reasoning out loud in joint visits with colleagues "
        "too. It slows me down a little and makes my decisions more transparent to the "
        "people they affect.",
        peer_role="practice educator",
        peer_learning="She suggested I keep a short record of *decision points* for the "
        "student to question, which turned out to be as useful to me as to the student.",
        capabilities=("PCF9", "PCF6", "SWE4"),
        tags=("students", "supervision"),
    ),
    DemoEntry(
        activity_type=T.LIVE_CHAT,
        platform=P.X,
        title="#SWSCmedia live chat: social media in social work and social care education",
        minutes=60,
        hashtag="SWSCmedia",
        what_happened="I joined the evening #SWSCmedia live chat on the use of social media "
        "in social work and social care education: an hour of fast questions and answers "
        "between students, academics and practitioners in the UK and North America.",
        what_learned="Students were far more relaxed about social media than practitioners, "
        "and far less aware of the confidentiality risks. The most useful exchange was on "
        "teaching digital professionalism as a skill rather than a list of prohibitions.",
        impact="I offered to give a short session on professional use of social media to the "
        "next cohort of students placed with our team, so they start with good habits.",
        capabilities=("PCF6", "PCF9", "SWE4"),
        tags=("social media", "live chats"),
    ),
    # Drafts: begun and not yet reflected on, so they do not count.
    DemoEntry(
        activity_type=T.FORUM,
        platform=P.FACEBOOK,
        title="Facebook group for AMHPs: rota pressures thread",
        minutes=20,
        what_happened="A long thread in a closed Facebook group for AMHPs about how different "
        "areas manage rota gaps and out-of-hours cover.",
        tags=("peer support",),
        draft=True,
    ),
    DemoEntry(
        activity_type=T.TWEET_READ,
        platform=P.MASTODON,
        title="Mastodon thread on appraising research shared online",
        minutes=15,
        what_happened="A social work academic's thread on quick checks before sharing a "
        "study: who funded it, how many people took part, whether it was peer reviewed.",
        what_learned="I share things on the strength of a headline more often than I admit.",
        tags=("critical appraisal", "social media"),
        draft=True,
    ),
    DemoEntry(
        activity_type=T.WEBINAR,
        platform=P.VIDEO_CALL,
        title="Webinar on deprivation of liberty in community settings: notes to write up",
        tags=("mental capacity",),
        draft=True,
    ),
]


# Both years need a peer-reflected entry to count: the list has one among its first
# PREVIOUS_YEAR_ENTRIES and one among its last FIRST_DAY_ENTRIES complete entries.
FIRST_DAY_ENTRIES = 4
PREVIOUS_YEAR_ENTRIES = 8


def _current_year_share(complete: int, year: CpdYear, today: dt.date) -> int:
    """How many of the ``complete`` entries fall in ``year``, growing evenly with the part of
    it gone by ``today``."""
    growth = complete - PREVIOUS_YEAR_ENTRIES - FIRST_DAY_ENTRIES
    return FIRST_DAY_ENTRIES + growth * (today - year.start).days // (year.end - year.start).days


def _spread(count: int, first: dt.date, last: dt.date) -> list[dt.date]:
    """``count`` dates in order, evenly from ``first`` to ``last`` inclusive, the first on
    ``first``."""
    days = (last - first).days + 1
    return [first + dt.timedelta(days=days * index // count) for index in range(count)]


def _dated_entries(today: dt.date) -> list[tuple[DemoEntry, dt.date]]:
    """Every demo entry with its date, by the rule in the module's docstring."""
    complete = [entry for entry in DEMO_ENTRIES if not entry.draft]
    drafts = [entry for entry in DEMO_ENTRIES if entry.draft]
    year = cpd_year_containing(today)
    previous = year.previous()
    split = len(complete) - _current_year_share(len(complete), year, today)
    earlier, current = complete[:split], complete[split:] + drafts
    return [
        *zip(earlier, _spread(len(earlier), previous.start, previous.end), strict=True),
        *zip(current, _spread(len(current), year.start, today), strict=True),
    ]


def _load_entries(owner: User, today: dt.date) -> None:
    codes = {code for entry in DEMO_ENTRIES for code in entry.capabilities}
    capabilities = {c.code: c for c in Capability.objects.filter(code__in=codes)}
    for entry, occurred_on in _dated_entries(today):
        activity = Activity(
            status=Status.DRAFT if entry.draft else Status.COMPLETE,
            activity_type=entry.activity_type,
            platform=entry.platform,
            title=entry.title,
            url=entry.url,
            occurred_on=occurred_on,
            duration_minutes=entry.minutes,
            hashtag=entry.hashtag,
            what_happened=entry.what_happened,
            what_learned=entry.what_learned,
            impact=entry.impact,
            is_peer_reflected=bool(entry.peer_role),
            peer_role=entry.peer_role,
            peer_learning=entry.peer_learning,
        )
        save_activity(
            activity,
            owner=owner,
            capabilities=[capabilities[c] for c in entry.capabilities if c in capabilities],
            tag_names=list(entry.tags),
        )


def load_demo_data(today: dt.date) -> list[DemoLogin]:
    """Create the demo users and the practitioner's log. Safe to run again: existing users,
    and the practitioner's entries if she already exists, are left as they are."""
    logins = []
    with transaction.atomic():
        for user_data in DEMO_USERS:
            fields = dict(user_data)
            email = str(fields.pop("email"))
            user = User.objects.filter(email=email).first()
            created = user is None
            if user is None:
                user = User.objects.create_user(email, DEMO_PASSWORD, **fields)
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            if created and user.role == Role.PRACTITIONER:
                _load_entries(user, today)
            logins.append(DemoLogin(role=str(user.role), email=email, password=DEMO_PASSWORD))
    return logins
