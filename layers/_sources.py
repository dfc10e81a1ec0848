"""Citations of the documents the proposals come from (``../shared/sources`` in the project brief).

Every layer cites the proposal it draws in its description and in every feature, so a
reader knows which document and which article a shape stands for.
"""

from __future__ import annotations

from layers._base import Source

__all__ = [
    "AXIOS_RESPONSES",
    "DIALOGUE_JAN_2022",
    "DRAFT_EXPLAINED",
    "FRONTLINE_DATA",
    "KORYBKO_TALKS",
    "KORYBKO_TRANS_DNIEPER",
    "NATO_MEMBERS",
    "TIME_1997",
]

DRAFT_EXPLAINED = Source(
    "draft-explained",
    "“Putin's Demands for NATO and America Explained” (commentary, Jan 2022) on Russia's draft "
    "agreement with NATO of 17 Dec 2021: Art. 4, no NATO forces or weapons in states that joined "
    "after 27 May 1997; Art. 5, no missiles within range of the other party; Art. 6, no further "
    "enlargement; Art. 7, no NATO activity in Ukraine or within a “yet to be agreed buffer zone "
    "between Russia and NATO”. Names Estonia, Latvia, Lithuania, Poland, Slovakia, Hungary, Romania "
    "and Bulgaria as the eastern Europe Art. 7 would cover.",
    short="“Putin's Demands for NATO and America Explained” (Jan 2022) on Russia's draft agreement "
          "of 17 Dec 2021, Arts 4–7",
)
TIME_1997 = Source(
    "time-1997",
    "TIME (Simon Shuster), 3 Feb 2022: Russia's envoy before the January 2022 talks, “NATO needs to "
    "pack up its stuff and get back to where it was in 1997.”",
    short='TIME (S. Shuster), 3 Feb 2022: “get back to where it was in 1997”',
)
AXIOS_RESPONSES = Source(
    "axios-2022-01-26",
    "Axios, 26 Jan 2022: the U.S. and NATO deliver written responses to Russia's December demands; "
    "no concessions on NATO's open-door policy; proposals on arms control and risk reduction.",
    short='Axios, 26 Jan 2022: U.S. and NATO written responses to Russia',
)
DIALOGUE_JAN_2022 = Source(
    "dialogue-2022-01-09",
    "Report of 9 Jan 2022 on the U.S.–Russia Strategic Stability Dialogue: talks on limiting "
    "missile deployments and exercises; Russia's violation of the INF Treaty (500–5,500 km ranges).",
    short='U.S.–Russia Strategic Stability Dialogue report, 9 Jan 2022 (INF ranges)',
)
KORYBKO_TALKS = Source(
    "korybko-2025-02-12",
    "Andrew Korybko, “Here's What Comes Next After Putin And Trump Just Agreed To Start Peace "
    "Talks”, Voice of East, 12 Feb 2025: Ukraine withdrawing from all of Donbas, perhaps back to "
    "Zaporizhzhia city (“a city of over 700,000”); a UN-supervised referendum for the claimed parts "
    "west of the Dnieper; a DMZ along the interim border with peacekeepers; Oreshnik missiles in Belarus.",
    short="A. Korybko, “Here's What Comes Next After Putin And Trump Just Agreed To Start Peace Talks”, 12 Feb 2025",
)
KORYBKO_TRANS_DNIEPER = Source(
    "korybko-2025-01-17",
    "Andrew Korybko, “The Merits Of A Demilitarized ‘Trans-Dnieper’ Region Controlled By "
    "Non-Western Peacekeepers”, 17 Jan 2025: freeze the line of contact in a Korean-style armistice; "
    "Russia returns its part of Kharkiv oblast for Ukraine's part of Kursk oblast; demilitarise "
    "everything east of the Dnieper and north of the line under Kyiv's control; checks fencing off "
    "Kyiv's north-eastern, eastern and south-eastern reaches; patrols along the river.",
    short='A. Korybko, “The Merits Of A Demilitarized ‘Trans-Dnieper’ Region…”, 17 Jan 2025',
)
NATO_MEMBERS = Source(
    "nato-members",
    "NATO, “Member countries” (accession dates of the 32 Allies); data/sources/nato_members.csv.",
    short='NATO, “Member countries” (accession dates)',
)
FRONTLINE_DATA = Source(
    "frontline-data",
    "Line of contact: Buffer-zone mapper's own approximate digitisation from settlements on the "
    "front, calibrated against DeepStateMap totals (data/sources/frontline/METHOD.md).",
    short='Line of contact: own approximate digitisation (data/sources/frontline/METHOD.md)',
)
