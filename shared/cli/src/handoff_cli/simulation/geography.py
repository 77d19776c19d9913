"""Where the simulated people live: Swedish counties and some of their municipalities (official
codes: a municipality's code begins with its county's), weighted roughly by population. The
Police's service maps each county to its region; the simulator only names the places."""

from __future__ import annotations

# county code -> (weight, municipality codes)
COUNTIES: dict[str, tuple[float, tuple[str, ...]]] = {
    "01": (0.24, ("0180", "0181", "0182", "0183", "0184", "0186", "0188", "0191")),
    "03": (0.04, ("0380", "0381", "0382")),
    "04": (0.03, ("0480", "0481", "0484")),
    "05": (0.05, ("0580", "0581", "0582")),
    "06": (0.04, ("0680", "0682", "0683")),
    "07": (0.02, ("0780", "0781")),
    "08": (0.02, ("0880", "0881", "0882")),
    "09": (0.01, ("0980",)),
    "10": (0.02, ("1080", "1081")),
    "12": (0.14, ("1280", "1281", "1282", "1283", "1284", "1285")),
    "13": (0.03, ("1380", "1381", "1382")),
    "14": (0.17, ("1480", "1481", "1482", "1484", "1485", "1490")),
    "17": (0.03, ("1780", "1781")),
    "18": (0.03, ("1880", "1881")),
    "19": (0.03, ("1980", "1981")),
    "20": (0.03, ("2080", "2081")),
    "21": (0.03, ("2180", "2181")),
    "22": (0.02, ("2280", "2281")),
    "23": (0.01, ("2380",)),
    "24": (0.02, ("2480", "2482")),
    "25": (0.02, ("2580", "2581")),
}

UNITS = ("MO-STOCKHOLM", "MO-GOTEBORG", "MO-MALMO", "MO-NORRKOPING", "MO-UMEA")
"""The Agency's return units (codes of the simulator's own making)."""
UNIT_OF_COUNTY = {"01": 0, "03": 0, "09": 0, "14": 1, "13": 1, "17": 1, "12": 2, "07": 2, "08": 2, "10": 2}

NATIONALITIES: tuple[tuple[str, float], ...] = (
    ("SYR", 0.30), ("ERI", 0.15), ("AFG", 0.12), ("SOM", 0.10), ("IRQ", 0.08),
    ("IRN", 0.06), ("ALB", 0.05), ("RUS", 0.05), ("UZB", 0.04), ("ETH", 0.05),
)  # fmt: skip
LANGUAGE = {"SYR": "ar", "ERI": "ti", "AFG": "prs", "SOM": "so", "IRQ": "ar", "IRN": "fa", "ALB": "sq",
            "RUS": "ru", "UZB": "uz", "ETH": "am"}  # fmt: skip
DUBLIN_STATES: tuple[tuple[str, float], ...] = (
    ("ITA", 0.3), ("DEU", 0.2), ("GRC", 0.1), ("POL", 0.1), ("HUN", 0.1), ("FRA", 0.1), ("NLD", 0.1),
)  # fmt: skip
GIVEN = ("Amir", "Sara", "Yonas", "Hana", "Ali", "Leila", "Omar", "Selam", "Farid", "Nadia", "Hassan",
         "Mariam", "Daniel", "Aisha", "Karim", "Rahel", "Yusuf", "Zahra", "Tesfay", "Amina")  # fmt: skip
FAMILY = ("Haddad", "Tesfaye", "Rahimi", "Warsame", "Karimi", "Abdi", "Nasser", "Gebre", "Hosseini",
          "Mohamed", "Kebede", "Sultani", "Hussein", "Berhane", "Jafari", "Osman")  # fmt: skip


def unit_for(municipality_code: str) -> str:
    return UNITS[UNIT_OF_COUNTY.get(municipality_code[:2], 3 if municipality_code < "1200" else 4)]
