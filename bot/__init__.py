"""skillcert: answers Shandong technical schools' questions on the 2021-08-12 notice on
职业技能等级认定, works out what a school may do, and pre-fills its application documents."""

__version__ = "0.1.0"
