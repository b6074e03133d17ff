"""Name pools by naming culture, and the ways one name gets written differently.

Each pool entry gives the native-script form (when the culture has a non-Latin script) and the
Latin spellings that agencies actually use for it, most common first: the same Arabic, Persian,
Cyrillic, Chinese or Devanagari name reaches different agencies as different strings, and the
demo world must reproduce exactly that so that name matching has something real to solve.
The pools are written for this project (common names only, no third-party lists).

Pool text format: one entry per line, ``native = Latin 1 / Latin 2 / ...`` or, for Latin-script
cultures, ``Canonical / Variant / ...`` (the canonical form keeps its diacritics).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class NameEntry:
    native: str | None
    latin: tuple[str, ...]


def _entries(text: str) -> tuple[NameEntry, ...]:
    found: list[NameEntry] = []
    for raw in text.strip().splitlines():
        line = raw.strip()
        if not line:
            continue
        native, sep, rest = line.partition("=")
        spellings = rest if sep else native
        latin = tuple(s.strip() for s in spellings.split("/") if s.strip())
        found.append(NameEntry(native.strip() if sep else None, latin))
    return tuple(found)


class Middle(StrEnum):
    """What may stand between given and family name."""

    NONE = "none"
    FATHER = "father"  # the father's given name, optionally after bin/ibn (Arabic)
    PATRONYMIC = "patronymic"  # Slavic -ovich / -ovna
    SECOND_GIVEN = "second_given"  # a second given name


@dataclass(frozen=True)
class Culture:
    """A naming culture: its pools, script and how a full name is put together."""

    code: str
    lang: str
    script: str  # ISO 15924 of the native forms; "Latn" where the culture writes in Latin
    male: tuple[NameEntry, ...]
    female: tuple[NameEntry, ...]
    family: tuple[NameEntry, ...]
    origins: tuple[tuple[str, tuple[str, ...]], ...]  # (country, birth cities)
    middle: Middle = Middle.NONE
    middle_prob: float = 0.0
    patronymic_male: tuple[NameEntry, ...] = ()
    patronymic_female: tuple[NameEntry, ...] = ()
    connector: NameEntry | None = None  # "bin"/"ibn" before a father's name
    family_first: bool = False  # Chinese order
    native_joiner: str = " "  # "" for Hanzi
    double_family: bool = False  # Hispanic paternal + maternal surname
    gendered_family: bool = False  # Slavic -ov / -ova
    surname_tail: tuple[NameEntry, ...] = ()  # rare family names drawn `tail_share` of the time
    tail_share: float = 0.0

    @property
    def has_native(self) -> bool:
        return self.script != "Latn"


ARABIC = Culture(
    code="arabic",
    lang="ar",
    script="Arab",
    male=_entries("""
        محمد = Mohammed / Muhammad / Mohamed / Mohamad / Mohammad
        أحمد = Ahmed / Ahmad / Ahmet
        عبد الرحمن = Abdul Rahman / Abdurrahman / Abd al-Rahman / Abdelrahman / Abdul-Rahman
        يوسف = Yusuf / Youssef / Yousef / Yousif / Youcef
        عمر = Omar / Umar
        علي = Ali / Aly
        حسن = Hassan / Hasan
        حسين = Hussein / Husain / Hussain / Hussien
        خالد = Khaled / Khalid
        إبراهيم = Ibrahim / Ebrahim / Brahim
        عبد الله = Abdullah / Abdallah / Abd Allah / Abdulla
        مصطفى = Mustafa / Moustafa / Mostafa
        سعيد = Said / Saeed / Saied
        طارق = Tariq / Tarek / Tarik
        كريم = Karim / Kareem
        جمال = Jamal / Gamal / Djamel
        فيصل = Faisal / Faysal / Feisal
        سليمان = Suleiman / Sulaiman / Slimane / Soliman
        ماجد = Majid / Majed
        ناصر = Nasser / Nasir / Naser
    """),
    female=_entries("""
        فاطمة = Fatima / Fatma / Fatimah
        عائشة = Aisha / Aicha / Ayesha / Aysha
        مريم = Maryam / Mariam / Meriem
        نور = Nour / Noor / Nur
        ليلى = Layla / Leila / Laila
        سارة = Sara / Sarah
        زينب = Zainab / Zeinab / Zaynab
        هدى = Huda / Houda / Hoda
        رانيا = Rania / Ranya
        ياسمين = Yasmin / Yasmine / Jasmin
        خديجة = Khadija / Khadidja / Khadeeja
        سلمى = Salma / Selma
    """),
    family=_entries("""
        الحسيني = al-Husseini / el-Husseini / Al Husseini / Husseini / Alhusseini
        المصري = al-Masri / el-Masry / Al Masri / Masri
        الحربي = al-Harbi / Al Harbi / Alharbi
        العبيدي = al-Obeidi / al-Ubaydi / Al Obaidi / Obeidi
        الزهراني = al-Zahrani / Al Zahrani / Alzahrani
        حداد = Haddad / Hadad
        خوري = Khoury / Khouri / Kuri
        التميمي = al-Tamimi / Al Tamimi / Tamimi / el-Tamimi
        الجبوري = al-Jubouri / al-Juburi / Al Jibouri / Jubouri
        الشامي = al-Shami / el-Chami / Al Shami / Shami
        منصور = Mansour / Mansur / Mansoor
        صالح = Saleh / Salih / Salah
        العلي = al-Ali / Al Ali / Alali
        الخطيب = al-Khatib / el-Khatib / Al Khateeb / Khatib
        عيسى = Issa / Eissa / Isa
        يعقوب = Yacoub / Yaqub / Yakoub
        الدوري = al-Douri / al-Duri / Al Doori
        بن علي = Ben Ali / Benali / Bin Ali
    """),
    origins=(
        ("JOR", ("Amman", "Zarqa", "Irbid")),
        ("IRQ", ("Baghdad", "Mosul", "Basra", "Kirkuk")),
        ("SYR", ("Damascus", "Aleppo", "Homs")),
        ("EGY", ("Cairo", "Alexandria")),
        ("MAR", ("Casablanca", "Tangier")),
    ),
    middle=Middle.FATHER,
    middle_prob=0.45,
    connector=NameEntry("بن", ("bin", "ibn", "ben")),
)

PERSIAN = Culture(
    code="persian",
    lang="fa",
    script="Arab",
    male=_entries("""
        محمد = Mohammad / Mohammed / Muhammad / Mohamad
        علی = Ali
        حسین = Hossein / Hosein / Hussein
        رضا = Reza / Riza
        مهدی = Mehdi / Mahdi
        امیر = Amir / Ameer
        داریوش = Dariush / Daryoush / Darius
        بهرام = Bahram
        کوروش = Kourosh / Kurosh / Cyrus
        مجید = Majid / Madjid
        سعید = Saeed / Said
        فرهاد = Farhad
    """),
    female=_entries("""
        مریم = Maryam / Mariam
        فاطمه = Fatemeh / Fatima / Fatemah
        زهرا = Zahra / Zahara
        نرگس = Narges / Nargis
        شیرین = Shirin / Shireen
        پریسا = Parisa
        لیلا = Leila / Layla
        نسرین = Nasrin / Nasreen
    """),
    family=_entries("""
        محمدی = Mohammadi / Mohamadi / Muhammadi
        حسینی = Hosseini / Hoseini / Husseini
        رضایی = Rezaei / Rezaee / Rezai
        احمدی = Ahmadi / Ahmady
        کریمی = Karimi / Karimy
        موسوی = Mousavi / Musavi / Moussavi
        جعفری = Jafari / Jaafari / Djafari
        رحیمی = Rahimi
        صادقی = Sadeghi / Sadeqi / Sadegi
        تهرانی = Tehrani / Teherani
        قاسمی = Ghasemi / Qasemi / Ghassemi
        نوری = Nouri / Nuri / Noori
    """),
    origins=(
        ("IRN", ("Tehran", "Mashhad", "Isfahan", "Shiraz", "Tabriz")),
        ("AFG", ("Herat", "Kabul")),
    ),
)

SLAVIC = Culture(
    code="slavic",
    lang="ru",
    script="Cyrl",
    male=_entries("""
        Александр = Aleksandr / Alexander / Aleksander / Oleksandr
        Сергей = Sergei / Sergey / Serguei / Serhiy
        Дмитрий = Dmitry / Dmitri / Dmitriy / Dimitri
        Евгений = Yevgeny / Evgeniy / Evgeny / Yevgeniy / Eugene
        Андрей = Andrei / Andrey / Andriy
        Алексей = Alexei / Aleksey / Alexey / Oleksiy
        Михаил = Mikhail / Michail / Mykhailo
        Владимир = Vladimir / Volodymyr / Wladimir
        Игорь = Igor / Ihor
        Юрий = Yuri / Yury / Iouri / Yuriy
        Николай = Nikolai / Nikolay / Mykola
        Олег = Oleg / Oleh
    """),
    female=_entries("""
        Ольга = Olga / Olha
        Наталья = Natalia / Natalya / Nataliya
        Екатерина = Yekaterina / Ekaterina / Katerina / Kateryna
        Анна = Anna / Hanna
        Татьяна = Tatiana / Tatyana / Tetiana
        Юлия = Yulia / Julia / Yuliya / Ioulia
        Ирина = Irina / Iryna
        Светлана = Svetlana / Svitlana
        Мария = Maria / Mariya
        Елена = Yelena / Elena / Olena
    """),
    family=_entries("""
        Иванов = Ivanov / Ivanoff / Iwanow
        Смирнов = Smirnov / Smirnoff
        Кузнецов = Kuznetsov / Kouznetsov / Kusnezow
        Попов = Popov / Popoff
        Соколов = Sokolov / Sokoloff
        Волков = Volkov / Wolkow
        Петренко = Petrenko
        Шевченко = Shevchenko / Chevtchenko / Schewtschenko
        Бондаренко = Bondarenko
        Коваленко = Kovalenko / Kowalenko
        Лебедев = Lebedev / Lebedeff
        Морозов = Morozov / Morosow / Morozoff
        Новиков = Novikov / Nowikow
        Ковальчук = Kovalchuk / Kowaltschuk
        Федоров = Fedorov / Fyodorov / Fedoroff
        Ткаченко = Tkachenko / Tkatchenko
        Ковальский = Kovalsky / Kovalskiy / Kowalski
    """),
    origins=(
        ("UKR", ("Kyiv", "Kharkiv", "Odesa", "Dnipro", "Lviv")),
        ("RUS", ("Moscow", "Saint Petersburg", "Rostov-on-Don", "Novosibirsk")),
    ),
    middle=Middle.PATRONYMIC,
    middle_prob=0.6,
    patronymic_male=_entries("""
        Александрович = Aleksandrovich / Alexandrovich / Oleksandrovych
        Сергеевич = Sergeyevich / Sergeevich / Serhiyovych
        Владимирович = Vladimirovich / Volodymyrovych
        Николаевич = Nikolayevich / Nikolaevich / Mykolayovych
        Иванович = Ivanovich / Ivanovych
        Петрович = Petrovich / Petrovych
        Михайлович = Mikhailovich / Mykhailovych
    """),
    patronymic_female=_entries("""
        Александровна = Aleksandrovna / Alexandrovna / Oleksandrivna
        Сергеевна = Sergeyevna / Sergeevna / Serhiivna
        Владимировна = Vladimirovna / Volodymyrivna
        Николаевна = Nikolayevna / Nikolaevna / Mykolaivna
        Ивановна = Ivanovna / Ivanivna
        Петровна = Petrovna / Petrivna
        Михайловна = Mikhailovna / Mykhailivna
    """),
    gendered_family=True,
)

CHINESE = Culture(
    code="chinese",
    lang="zh",
    script="Hani",
    male=_entries("""
        伟 = Wei
        强 = Qiang / Chiang
        军 = Jun / Chun
        建国 = Jianguo / Jian Guo / Chien-kuo
        志明 = Zhiming / Zhi Ming / Chih-ming
        海涛 = Haitao / Hai Tao
        俊杰 = Junjie / Jun Jie / Chun-chieh
        浩 = Hao
        宇航 = Yuhang / Yu Hang
        文博 = Wenbo / Wen Bo
    """),
    female=_entries("""
        秀英 = Xiuying / Xiu Ying / Hsiu-ying
        丽 = Li / Lai
        芳 = Fang
        静 = Jing / Ching
        婷婷 = Tingting / Ting Ting
        雪梅 = Xuemei / Xue Mei / Hsueh-mei
        美玲 = Meiling / Mei Ling / Mei-ling
        晓燕 = Xiaoyan / Xiao Yan / Hsiao-yen
    """),
    family=_entries("""
        王 = Wang / Wong
        李 = Li / Lee
        张 = Zhang / Chang / Cheung
        刘 = Liu / Lau / Lew
        陈 = Chen / Chan / Tan
        杨 = Yang / Yeung
        黄 = Huang / Wong / Hwang
        赵 = Zhao / Chao / Chiu
        吴 = Wu / Ng / Woo
        周 = Zhou / Chou / Chow
        徐 = Xu / Hsu / Tsui
        孙 = Sun / Suen
        马 = Ma
        朱 = Zhu / Chu
        郭 = Guo / Kuo / Kwok
        林 = Lin / Lam / Lim
    """),
    origins=(("CHN", ("Beijing", "Shanghai", "Guangzhou", "Wenzhou", "Fuzhou", "Shenzhen")),),
    family_first=True,
    native_joiner="",
)

TURKISH = Culture(
    code="turkish",
    lang="tr",
    script="Latn",
    male=_entries("""
        Mehmet / Mehmed
        Mustafa
        Ahmet / Ahmed
        Hüseyin / Huseyin / Hueseyin
        İbrahim / Ibrahim
        Yusuf
        Murat / Murad
        Emre
        Burak
        Oğuz / Oguz
        Çağlar / Caglar
        Şükrü / Sukru
        İsmail / Ismail
        Gökhan / Gokhan / Goekhan
    """),
    female=_entries("""
        Ayşe / Ayse / Aysche
        Fatma
        Emine
        Hatice / Hatidje
        Zeynep / Zeynab
        Elif
        Özlem / Ozlem / Oezlem
        Şeyma / Seyma
        Gülşen / Gulsen / Guelsen
        Büşra / Busra
    """),
    family=_entries("""
        Yılmaz / Yilmaz / Yelmaz
        Kaya
        Demir
        Şahin / Sahin / Schahin
        Çelik / Celik / Tschelik
        Yıldız / Yildiz
        Yıldırım / Yildirim
        Öztürk / Ozturk / Oeztuerk
        Aydın / Aydin
        Özdemir / Ozdemir / Oezdemir
        Arslan / Aslan
        Doğan / Dogan
        Kılıç / Kilic / Kilitsch
        Aktaş / Aktas
    """),
    origins=(("TUR", ("İstanbul", "Ankara", "İzmir", "Gaziantep", "Konya", "Trabzon")),),
    middle=Middle.SECOND_GIVEN,
    middle_prob=0.1,
)

HINDI = Culture(
    code="hindi",
    lang="hi",
    script="Deva",
    male=_entries("""
        राहुल = Rahul
        अमित = Amit
        विजय = Vijay / Vijai
        सुरेश = Suresh
        राजेश = Rajesh
        संजय = Sanjay / Sanjai
        अरुण = Arun
        दीपक = Deepak / Dipak
        मनोज = Manoj
        अनिल = Anil
    """),
    female=_entries("""
        प्रिया = Priya / Preeya
        सुनीता = Sunita / Sunitha
        अनीता = Anita / Aneeta
        पूजा = Pooja / Puja
        नेहा = Neha
        कविता = Kavita / Kavitha
        लक्ष्मी = Lakshmi / Laxmi
        दीपिका = Deepika / Dipika
    """),
    family=_entries("""
        शर्मा = Sharma
        वर्मा = Verma / Varma
        सिंह = Singh
        गुप्ता = Gupta
        पटेल = Patel
        कुमार = Kumar
        यादव = Yadav
        मिश्रा = Mishra / Misra
        जोशी = Joshi
        अग्रवाल = Agarwal / Aggarwal / Agrawal
        रेड्डी = Reddy / Reddi
        चौधरी = Chaudhary / Choudhary / Chowdhury
    """),
    origins=(("IND", ("New Delhi", "Mumbai", "Lucknow", "Jaipur", "Patna")),),
    middle=Middle.SECOND_GIVEN,
    middle_prob=0.1,
)

URDU = Culture(
    code="urdu",
    lang="ur",
    script="Arab",
    male=_entries("""
        محمد = Muhammad / Mohammad / Mohammed
        علی = Ali
        عمران = Imran
        عثمان = Usman / Osman / Othman
        بلال = Bilal
        فیصل = Faisal / Faysal
        زاہد = Zahid / Zaheed
        طارق = Tariq / Tarik
        آصف = Asif / Aasif
        شاہد = Shahid / Shaheed
    """),
    female=_entries("""
        عائشہ = Ayesha / Aisha / Aysha
        فاطمہ = Fatima / Fatimah
        صائمہ = Saima / Sayma
        نادیہ = Nadia / Nadiya
        رابعہ = Rabia / Rabiya
        ثنا = Sana / Sanaa
    """),
    family=_entries("""
        خان = Khan
        چوہدری = Chaudhry / Choudhary / Chaudhary
        ملک = Malik
        قریشی = Qureshi / Qureshy / Kureshi
        بٹ = Butt / Bhatt
        شیخ = Sheikh / Shaikh / Shaykh
        راجہ = Raja / Rajah
        مرزا = Mirza
        اعوان = Awan
        حسین = Hussain / Hussein / Husain
    """),
    origins=(("PAK", ("Karachi", "Lahore", "Peshawar", "Rawalpindi", "Faisalabad")),),
    middle=Middle.SECOND_GIVEN,
    middle_prob=0.3,
)

AMHARIC = Culture(
    code="amharic",
    lang="am",
    script="Ethi",
    male=_entries("""
        ተስፋዬ = Tesfaye / Tesfay
        ገብረመድኅን = Gebremedhin / Gebre Medhin / Gebremedihin
        ኃይሌ = Haile / Hailé
        ዳዊት = Dawit / Dawitt
        ሰሎሞን = Solomon / Selomon
        ዮሐንስ = Yohannes / Yohanes / Johannes
        መስፍን = Mesfin
        ብርሃኑ = Berhanu / Birhanu / Brhanu
        ግርማ = Girma / Germa
    """),
    female=_entries("""
        አልማዝ = Almaz
        መሠረት = Meseret / Meserete
        ሕይወት = Hiwot / Heywot
        ትዕግሥት = Tigist / Tigest
        ብዙነሽ = Bizunesh / Bezunesh
        ፀሐይ = Tsehay / Tsehai / Sehay
    """),
    family=_entries("""
        ተስፋዬ = Tesfaye / Tesfay
        ኃይሌ = Haile / Hailé
        አበበ = Abebe / Abebé
        ከበደ = Kebede / Kebbede
        ወልደማርያም = Woldemariam / Wolde Mariam / Weldemariam
        በቀለ = Bekele / Bekelé
        ታደሰ = Tadesse / Tadese
    """),
    origins=(("ETH", ("Addis Ababa", "Gondar", "Mekele", "Bahir Dar")),),
)

SOMALI = Culture(
    code="somali",
    lang="so",
    script="Latn",
    male=_entries("""
        Abdi / Cabdi
        Mohamed / Maxamed / Mohamud
        Ahmed / Axmed
        Hassan / Xasan
        Abdullahi / Cabdullaahi / Abdulahi
        Ismail / Ismaaciil
        Farah / Faarax
        Omar / Cumar
        Yusuf / Yuusuf
        Ali / Cali
    """),
    female=_entries("""
        Amina / Aamina
        Fadumo / Faadumo / Fatuma
        Hodan
        Asha / Aasha
        Sahra / Sahro
        Ifrah / Ifra
        Khadra / Khadro
        Nimco / Nimo
    """),
    family=_entries("""
        Warsame / Warsama
        Farah / Faarax
        Hersi / Xirsi
        Jama / Jaamac
        Osman / Cismaan
        Aden / Aadan
        Egal / Cigaal
        Dirie / Diiriye
        Mohamud / Maxamuud
        Samatar
        Gedi / Geedi
    """),
    origins=(
        ("SOM", ("Mogadishu", "Kismayo", "Baidoa", "Hargeisa")),
        ("KEN", ("Garissa", "Mandera")),
    ),
    middle=Middle.FATHER,
    middle_prob=0.5,
)

KENYAN = Culture(
    code="kenyan",
    lang="sw",
    script="Latn",
    male=_entries("""
        John
        Peter
        Joseph
        James
        Daniel
        Samuel
        Juma
        Baraka
        Brian
        Collins
    """),
    female=_entries("""
        Mary
        Grace
        Faith
        Wanjiru / Wanjiro
        Akinyi
        Achieng / Atieno
        Mercy
        Zawadi
        Neema
    """),
    family=_entries("""
        Kamau
        Mwangi
        Otieno
        Odhiambo / Odiambo
        Kiprotich / Kiprono
        Kipchoge
        Mutua
        Njoroge
        Ochieng / Ochien
        Onyango
        Kariuki
        Wafula
        Omondi
    """),
    origins=(("KEN", ("Nairobi", "Mombasa", "Kisumu", "Nakuru", "Eldoret")),),
    middle=Middle.SECOND_GIVEN,
    middle_prob=0.3,
)

GERMAN = Culture(
    code="german",
    lang="de",
    script="Latn",
    male=_entries("""
        Jürgen / Juergen / Jurgen
        Thomas
        Michael
        Andreas
        Stefan / Stephan
        Klaus / Claus
        Matthias / Mathias
        Sebastian
        Lukas / Lucas
        Jörg / Joerg / Jorg
        Wolfgang
        Maximilian
    """),
    female=_entries("""
        Sabine
        Ursula
        Petra
        Katharina / Katarina / Catharina
        Julia
        Monika / Monica
        Birgit
        Lena
        Sophie / Sofie
        Anja / Anya
    """),
    family=_entries("""
        Müller / Mueller / Muller
        Schmidt / Schmitt / Schmid
        Schneider
        Fischer
        Weber
        Meyer / Meier / Mayer / Maier
        Wagner
        Becker / Bäcker
        Schulz / Schultz
        Hoffmann / Hofmann
        Schäfer / Schaefer / Schafer
        Koch
        Bauer
        Richter
        Wolf / Wolff
        von Bülow / von Buelow / Von Bulow / Bülow
        von der Heide / von der Heyde / Vonderheide
    """),
    origins=(("DEU", ("Berlin", "Hamburg", "München", "Köln", "Frankfurt am Main", "Leipzig")),),
    middle=Middle.SECOND_GIVEN,
    middle_prob=0.15,
)

FRENCH = Culture(
    code="french",
    lang="fr",
    script="Latn",
    male=_entries("""
        François / Francois
        Jean-Pierre / Jean Pierre / Jeanpierre
        Michel
        Philippe / Philipe
        Nicolas / Nicholas
        Stéphane / Stephane
        Julien
        Thierry
        Frédéric / Frederic
        Olivier
        Benoît / Benoit
        Rémi / Remi / Rémy
    """),
    female=_entries("""
        Marie
        Nathalie / Natalie
        Isabelle
        Sylvie
        Céline / Celine
        Sophie
        Hélène / Helene
        Émilie / Emilie
        Camille
        Aurélie / Aurelie
    """),
    family=_entries("""
        Martin
        Bernard
        Dubois / Du Bois
        Thomas
        Robert
        Petit
        Durand / Durant
        Leroy / Le Roy
        Moreau
        Lefèvre / Lefevre / Lefebvre
        Garnier
        de La Fontaine / De la Fontaine / Delafontaine
        Girard
        Rousseau
    """),
    origins=(
        ("FRA", ("Paris", "Marseille", "Lyon", "Lille", "Toulouse")),
        ("BEL", ("Liège", "Bruxelles")),
    ),
    middle=Middle.SECOND_GIVEN,
    middle_prob=0.15,
)

HISPANIC = Culture(
    code="hispanic",
    lang="es",
    script="Latn",
    male=_entries("""
        José / Jose
        Juan Carlos / Juan-Carlos / Juancarlos
        Luis / Luís
        Carlos
        Javier / Xavier
        Miguel Ángel / Miguel Angel
        Alejandro
        Andrés / Andres
        Fernando
        Jesús / Jesus
        Diego
        Sebastián / Sebastian
    """),
    female=_entries("""
        María / Maria
        Carmen
        Ana / Anna
        Lucía / Lucia
        Isabel
        Laura
        Sofía / Sofia
        Valentina
        Marta / Martha
        Daniela
        Guadalupe
    """),
    family=_entries("""
        García / Garcia
        Rodríguez / Rodriguez
        González / Gonzalez / Gonzales
        Fernández / Fernandez
        López / Lopez
        Martínez / Martinez
        Sánchez / Sanchez
        Pérez / Perez
        Gómez / Gomez
        Díaz / Diaz
        Hernández / Hernandez
        Muñoz / Munoz
        Jiménez / Jimenez
        Ramírez / Ramirez
        Vargas
        Castro
        Restrepo
        Ospina
        de la Cruz / De la Cruz / Delacruz
    """),
    origins=(
        ("ESP", ("Madrid", "Barcelona", "Sevilla", "Valencia")),
        ("COL", ("Bogotá", "Medellín", "Cali", "Barranquilla")),
        ("MEX", ("Guadalajara", "Ciudad de México")),
    ),
    double_family=True,
)

DUTCH = Culture(
    code="dutch",
    lang="nl",
    script="Latn",
    male=_entries("""
        Jan
        Pieter / Peter
        Hendrik / Henk
        Willem
        Johannes / Johan
        Sander
        Bram
        Thijs / Tijs
        Daan
        Joost
        Maarten / Marten
    """),
    female=_entries("""
        Anna
        Johanna
        Sanne
        Femke
        Anouk
        Lotte
        Eline
        Ingrid
        Marieke
    """),
    family=_entries("""
        de Jong / De Jong / Dejong
        Jansen / Janssen
        de Vries / De Vries / Devries
        van den Berg / Van den Berg / Vandenberg / v.d. Berg
        van Dijk / Van Dijk / van Dyk / Vandijk
        Bakker
        Visser
        Smit / Smits
        Meijer / Meyer / Meier
        de Boer / De Boer
        Mulder
        de Groot / De Groot
        Bos / Bosch
        Hendriks / Hendrikx
        van der Meer / Van der Meer / Vandermeer
    """),
    origins=(("NLD", ("Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven")),),
    middle=Middle.SECOND_GIVEN,
    middle_prob=0.2,
)

ANGLO = Culture(
    code="anglo",
    lang="en",
    script="Latn",
    male=_entries("""
        John / Jon
        Michael / Mike
        William / Bill
        James / Jim
        Robert / Bob
        David
        Richard
        Christopher / Kristopher
        Matthew / Mathew
        Joshua
        Steven / Stephen
    """),
    female=_entries("""
        Mary
        Jennifer / Jenifer
        Elizabeth / Elisabeth
        Patricia
        Linda
        Susan / Suzanne
        Jessica
        Ashley
        Emily
        Katherine / Catherine / Kathryn
    """),
    family=_entries("""
        Smith
        Johnson
        Williams
        Brown / Browne
        Jones
        Miller
        Davis / Davies
        Wilson
        Anderson / Andersen
        Taylor
        Moore
        Jackson
        Thompson / Thomson
        Harris
        O'Brien / OBrien / O Brien
        McDonald / MacDonald / Mcdonald
    """),
    origins=(
        ("USA", ("New York", "Chicago", "Houston", "Phoenix", "Philadelphia")),
        ("GBR", ("London", "Manchester")),
    ),
    middle=Middle.SECOND_GIVEN,
    middle_prob=0.35,
)

CULTURES: dict[str, Culture] = {
    c.code: c
    for c in (
        ARABIC,
        PERSIAN,
        SLAVIC,
        CHINESE,
        TURKISH,
        HINDI,
        URDU,
        AMHARIC,
        SOMALI,
        KENYAN,
        GERMAN,
        FRENCH,
        HISPANIC,
        DUTCH,
        ANGLO,
    )
}


# --- a long tail of real surnames (benchmarks) -----------------------------------------------

# The pools above hold a few dozen common family names per culture, so at a million persons a
# full name is shared by dozens of people, far more than in any real population (the 100 most
# common surnames of Germany, Russia or the US cover well under a third of their people). For
# fair quality figures at scale the benchmarks can draw most family names from the Wikidata
# name tokens in ``names/translit/wd_*_80`` (CC0; Latin token, native spelling, count).
TAIL_FILES = {"Arab": "arabic", "Cyrl": "russian"}  # native script -> the file that spells it
TAIL_LATIN_FILES = ("arabic", "chinese", "hebrew", "korean", "russian")
TAIL_SHARE = 0.7


def translit_pairs(translit_dir: Path, name: str) -> list[tuple[str, str]]:
    """(Latin token, native spelling) of one ``wd_<name>_80`` file (its lines: Latin, the
    native characters space-separated, a count)."""
    text = (translit_dir / f"wd_{name}_80").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines())
    return [(latin, native.replace(" ", "")) for latin, native, _count in rows]


def _tail_file(translit_dir: Path, name: str) -> list[tuple[str, str]]:
    """A file's pairs usable as surnames, the Latin capitalised; odd tokens left out."""
    return [
        (latin.capitalize(), native)
        for latin, native in translit_pairs(translit_dir, name)
        if len(latin) >= 3 and latin.isascii() and latin.isalpha()
    ]


def with_surname_tail(
    cultures: Mapping[str, Culture], translit_dir: Path, share: float = TAIL_SHARE
) -> dict[str, Culture]:
    """`cultures` drawing a family name from the Wikidata tokens `share` of the time.

    Cultures writing in Arabic or Cyrillic script get the tokens with their native spelling;
    Latin-script cultures the Latin tokens of every file; the others (Chinese, whose surnames
    really are few, Devanagari, Ethiopic) keep their pools.
    """
    native = {script: _tail_file(translit_dir, name) for script, name in TAIL_FILES.items()}
    latin = sorted({lat for name in TAIL_LATIN_FILES for lat, _ in _tail_file(translit_dir, name)})
    tails: dict[str, tuple[NameEntry, ...]] = {
        script: tuple(NameEntry(nat, (lat,)) for lat, nat in pairs)
        for script, pairs in native.items()
    }
    tails["Latn"] = tuple(NameEntry(None, (lat,)) for lat in latin)
    return {
        code: replace(c, surname_tail=tails[c.script], tail_share=share) if c.script in tails else c
        for code, c in cultures.items()
    }


# --- composing names -------------------------------------------------------------------------

GIVEN, MIDDLE, FAMILY = "given", "middle", "family"


@dataclass(frozen=True, slots=True)
class Token:
    entry: NameEntry
    role: str  # GIVEN, MIDDLE or FAMILY


def _feminine_latin(text: str) -> str:
    for masc, fem in (("off", "ova"), ("skiy", "skaya"), ("sky", "skaya"), ("ski", "ska")):
        if text.endswith(masc):
            return text[: -len(masc)] + fem
    if text.endswith(("ov", "ev", "in", "ow")):
        return text + "a"
    return text


def _feminine_native(text: str) -> str:
    if text.endswith("ский"):
        return text[:-2] + "ая"
    if text.endswith(("ов", "ев", "ин")):
        return text + "а"
    return text


def feminine(entry: NameEntry) -> NameEntry:
    """The female form of a Slavic surname (Иванов -> Иванова, Kovalsky -> Kovalskaya)."""
    native = _feminine_native(entry.native) if entry.native else None
    return NameEntry(native, tuple(dict.fromkeys(_feminine_latin(s) for s in entry.latin)))


def compose(culture: Culture, female: bool, rnd: random.Random) -> list[Token]:
    """A person's name as tokens in canonical (given ... family) order."""
    tokens = [Token(rnd.choice(culture.female if female else culture.male), GIVEN)]
    if culture.middle != Middle.NONE and rnd.random() < culture.middle_prob:
        if culture.middle == Middle.FATHER:
            if culture.connector is not None and not female and rnd.random() < 0.5:
                tokens.append(Token(culture.connector, MIDDLE))
            tokens.append(Token(rnd.choice(culture.male), MIDDLE))
        elif culture.middle == Middle.PATRONYMIC:
            pool = culture.patronymic_female if female else culture.patronymic_male
            tokens.append(Token(rnd.choice(pool), MIDDLE))
        else:
            tokens.append(Token(rnd.choice(culture.female if female else culture.male), MIDDLE))
    for _ in range(2 if culture.double_family else 1):
        tail = culture.surname_tail and rnd.random() < culture.tail_share
        family = rnd.choice(culture.surname_tail if tail else culture.family)
        if culture.gendered_family and female:
            family = feminine(family)
        tokens.append(Token(family, FAMILY))
    return tokens


def pick_spellings(tokens: Sequence[Token], rnd: random.Random) -> tuple[int, ...]:
    """Which Latin spelling of each token a record uses: mostly the common one."""
    return tuple(
        0 if len(t.entry.latin) == 1 or rnd.random() < 0.6 else rnd.randrange(len(t.entry.latin))
        for t in tokens
    )


def other_spellings(
    tokens: Sequence[Token], current: tuple[int, ...], rnd: random.Random
) -> tuple[int, ...] | None:
    """A different spelling choice for at least one token, or None when every token has one."""
    variable = [i for i, t in enumerate(tokens) if len(t.entry.latin) > 1]
    if not variable:
        return None
    chosen = list(current)
    for i in variable:
        if i == variable[-1] or rnd.random() < 0.5:
            options = [k for k in range(len(tokens[i].entry.latin)) if k != current[i]]
            chosen[i] = rnd.choice(options)
            if i != variable[-1] and rnd.random() < 0.5:
                break
    return tuple(chosen) if tuple(chosen) != current else None


def name_dict(
    parts: Sequence[tuple[str, str]],
    *,
    kind: str,
    script: str,
    lang: str,
    family_first: bool = False,
    joiner: str = " ",
) -> dict[str, Any]:
    """A `Name` as the plain dict `Name.model_dump(mode="json", exclude_none=True)` gives."""
    given = joiner.join(text for role, text in parts if role != FAMILY)
    family = joiner.join(text for role, text in parts if role == FAMILY)
    ordered = [family, given] if family_first else [given, family]
    result: dict[str, Any] = {"full": joiner.join(p for p in ordered if p)}
    if given:
        result["given"] = given
    if family:
        result["family"] = family
    result.update(kind=kind, script=script, lang=lang)
    return result


def latin_parts(tokens: Sequence[Token], spellings: Sequence[int]) -> list[tuple[str, str]]:
    return [(t.role, t.entry.latin[s]) for t, s in zip(tokens, spellings, strict=True)]


def native_parts(tokens: Sequence[Token]) -> list[tuple[str, str]] | None:
    """The tokens in native script, or None when the culture writes in Latin."""
    if any(t.entry.native is None for t in tokens):
        return None
    return [(t.role, t.entry.native or "") for t in tokens]


_VOWELS = "aeiou"


def typo(text: str, rnd: random.Random) -> str:
    """One keyboard or hearing slip: a dropped, doubled, swapped or changed letter."""
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if len(letters) < 4:
        return text + text[-1]
    i = rnd.choice(letters[1:-1])
    op = rnd.randrange(4)
    if op == 0:
        return text[:i] + text[i + 1 :]
    if op == 1:
        return text[:i] + text[i] + text[i:]
    if op == 2 and text[i + 1].isalpha():
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if text[i].lower() in _VOWELS:
        return text[:i] + rnd.choice(_VOWELS.replace(text[i].lower(), "")) + text[i + 1 :]
    return text[:i] + text[i] + text[i:]
