import type { Translations } from '#src/web/i18n/catalog.js';

/**
 * The public transparency page (/transparency/:slug) and the words of the report model: complete
 * in all five public languages. The English methodology texts (`transparency.method.*`,
 * `transparency.platformNote.*`, `transparency.note.*`, `transparency.cadence.*`) are also the
 * values of report.json, so they stay exactly as docs/open-data.md shows them.
 * Bosnian is written in Latin script, Ukrainian in Cyrillic. Plural categories: en one/other,
 * ro one/few/other, pl and uk one/few/many/other, bs one/few/other.
 */
export const en = {
  'transparency.title': 'Transparency report: {name}',
  'transparency.eyebrow': 'Public transparency report',
  'transparency.intro': 'What {name} published on social media from {from} to {to}, and how people engaged with it (figures as of {asOf}).',
  'transparency.languages': 'Language',
  'transparency.period': 'Choose the period',
  'transparency.from': 'From',
  'transparency.to': 'To (not included)',
  'transparency.show': 'Show',
  'transparency.training.title': 'Training preview',
  'transparency.training.included':
    '{count, plural, one {# publication on a sandbox (training) channel is} other {# publications on sandbox (training) channels are}} counted on this page. They were never published on any platform, and the public report leaves them out.',
  'transparency.training.excluded':
    '{count, plural, one {# publication on a sandbox (training) channel is} other {# publications on sandbox (training) channels are}} left out: they were never published on any platform.',
  'transparency.training.show': 'Show them, marked as training',
  'transparency.training.hide': 'Show the public report',
  'transparency.notAvailable': 'not available',
  'transparency.none': 'None in this period.',
  'transparency.nothingPublished': 'Nothing was published in this period.',

  'transparency.summary': 'Summary',
  'transparency.count.published': '{count, plural, one {publication} other {publications}}',
  'transparency.count.withdrawn': '{count, plural, one {later withdrawn} other {later withdrawn}}',
  'transparency.count.likes': '{count, plural, one {like} other {likes}}',
  'transparency.count.reposts': '{count, plural, one {repost or share} other {reposts and shares}}',
  'transparency.count.replies': '{count, plural, one {reply or comment} other {replies and comments}}',
  'transparency.count.quotes': '{count, plural, one {quote} other {quotes}}',
  'transparency.count.impressions': '{count, plural, one {impression or view} other {impressions and views}}',
  'transparency.count.clicks': '{count, plural, one {click} other {clicks}}',
  'transparency.medianLateness': 'median lateness',

  'transparency.metric.likes': 'Likes',
  'transparency.metric.reposts': 'Reposts and shares',
  'transparency.metric.replies': 'Replies and comments',
  'transparency.metric.quotes': 'Quotes',
  'transparency.metric.impressions': 'Impressions and views',
  'transparency.metric.clicks': 'Clicks',

  'transparency.perMonth': 'Publications per month',
  'transparency.chartDesc': 'Bar chart of publications per month: {bars}. The same figures per channel are in the table below.',
  'transparency.perMonthCaption': 'Publications and engagement per month and channel',
  'transparency.col.month': 'Month',
  'transparency.col.channel': 'Channel',
  'transparency.col.published': 'Published',
  'transparency.col.withdrawn': 'Withdrawn',
  'transparency.col.campaign': 'Campaign',
  'transparency.col.engagement': 'Engagement',
  'transparency.col.publishedOn': 'Published on',
  'transparency.col.withdrawnOn': 'Withdrawn on',
  'transparency.col.publications': 'Publications',
  'transparency.col.median': 'Median',
  'transparency.col.p95': '95th percentile',
  'transparency.col.max': 'Latest',
  'transparency.col.platform': 'Platform',
  'transparency.col.provides': 'Provides',
  'transparency.col.notes': 'Notes',

  'transparency.campaigns': 'Campaigns',
  'transparency.noGoal': 'No goal stated.',
  'transparency.campaignDates': '{from} to {to}.',
  'transparency.partners': 'Partner organisations: {list}.',
  'transparency.noPartners': 'No partner organisations.',
  'transparency.noCampaigns': 'No campaign published anything in this period.',
  'transparency.campaignsCaption': 'Publications and engagement per campaign',

  'transparency.top': 'Most engaged publications',
  'transparency.topMeta': '{date}, {channel}, campaign “{campaign}”. Engagement: {engagement}.',
  'transparency.seePublication': 'See the publication',

  'transparency.withdrawn': 'Withdrawn publications',
  'transparency.withdrawnIntro': 'Publications taken down after they were published are counted above and listed here without their text.',
  'transparency.withdrawnCaption': 'Publications later withdrawn',

  'transparency.punctuality': 'Punctuality',
  'transparency.punctualityText':
    'How late publications went out after their scheduled time: half went out within {p50}, 95% within {p95}; the latest {max} ({count, plural, one {# publication} other {# publications}}).',
  'transparency.punctualityCaption': 'Lateness per channel',

  'transparency.methodology': 'Methodology',
  'transparency.methodText': '{definition}. Engagement is collected {cadence}. Newest collection: {newest}.',
  'transparency.newestAt': '{at} ({zone})',
  'transparency.noneYet': 'none yet',
  'transparency.platformsCaption': 'Figures each platform provides',
  'transparency.providesNone': 'none',
  'transparency.method.definition': 'engagement = likes + reposts + replies + quotes, counting only the figures a platform gives',
  'transparency.cadence.every.minute': '{n, plural, =1 {every minute} other {every # minutes}}',
  'transparency.cadence.every.hour': '{n, plural, =1 {every hour} other {every # hours}}',
  'transparency.cadence.every.day': '{n, plural, =1 {every day} other {every # days}}',
  'transparency.cadence.until.minute': '{n, plural, one {# minute} other {# minutes}}',
  'transparency.cadence.until.hour': '{n, plural, one {# hour} other {# hours}}',
  'transparency.cadence.until.day': '{n, plural, one {# day} other {# days}}',
  'transparency.cadence.step': '{every} until {until} after publication',
  'transparency.cadence.end': '{steps}, then no more',
  'transparency.platformNote.x': "X API v2 public and organic metrics; link clicks only for the account's own posts.",
  'transparency.platformNote.mastodon':
    'Favourites, boosts and replies; quotes where the server counts them; Mastodon counts no views or clicks.',
  'transparency.platformNote.bluesky': 'Bluesky counts no views or clicks.',
  'transparency.platformNote.facebook': 'Reactions count as likes, shares as reposts, comments as replies; media views as impressions.',
  'transparency.platformNote.linkedin': 'Organisation share statistics.',
  'transparency.platformNote.telegram': 'The Telegram Bot API gives no engagement figures: none are collected.',
  'transparency.platformNote.sandbox': 'Simulated engagement for training.',
  'transparency.note.cumulative':
    "Counters are cumulative: a publication's engagement is the newest value collected, as of the time above.",
  'transparency.note.notAvailable': 'A figure a platform does not give is "not available" (empty in CSV, null in JSON), never 0.',
  'transparency.note.lateness':
    'Lateness is the time from the scheduled time to publication, including any time a publication was held by a blackout window or a suspension of publishing.',
  'transparency.note.withdrawn': 'Publications later withdrawn are counted, and listed without their text.',

  'transparency.openData': 'Open data',
  'transparency.openDataText': 'This report as data, licence {licence}, schema version {version}:',
  'transparency.pdf': 'PDF for printing',
  'transparency.dataInEnglish': 'The field names of the JSON and CSV files are in English.',
  'transparency.generated': 'Generated {at}.',
} as const;

export const ro: Translations<typeof en> = {
  'transparency.title': 'Raport de transparență: {name}',
  'transparency.eyebrow': 'Raport public de transparență',
  'transparency.intro': 'Ce s-a publicat pe rețelele sociale între {from} și {to} și cum au reacționat oamenii (cifre la data de {asOf}).',
  'transparency.languages': 'Limba',
  'transparency.period': 'Alegeți perioada',
  'transparency.from': 'De la',
  'transparency.to': 'Până la (exclusiv)',
  'transparency.show': 'Afișează',
  'transparency.training.title': 'Previzualizare pentru instruire',
  'transparency.training.included':
    '{count, plural, one {# publicare pe un canal sandbox (de instruire) este numărată} few {# publicări pe canale sandbox (de instruire) sunt numărate} other {# de publicări pe canale sandbox (de instruire) sunt numărate}} pe această pagină. Nu au fost publicate pe nicio platformă, iar raportul public nu le include.',
  'transparency.training.excluded':
    '{count, plural, one {# publicare pe un canal sandbox (de instruire) nu este inclusă} few {# publicări pe canale sandbox (de instruire) nu sunt incluse} other {# de publicări pe canale sandbox (de instruire) nu sunt incluse}}: nu au fost publicate pe nicio platformă.',
  'transparency.training.show': 'Afișați-le, marcate ca instruire',
  'transparency.training.hide': 'Afișați raportul public',
  'transparency.notAvailable': 'indisponibil',
  'transparency.none': 'Nimic în această perioadă.',
  'transparency.nothingPublished': 'În această perioadă nu s-a publicat nimic.',

  'transparency.summary': 'Rezumat',
  'transparency.count.published': '{count, plural, one {publicare} few {publicări} other {de publicări}}',
  'transparency.count.withdrawn': '{count, plural, one {retrasă ulterior} few {retrase ulterior} other {retrase ulterior}}',
  'transparency.count.likes': '{count, plural, one {apreciere} few {aprecieri} other {de aprecieri}}',
  'transparency.count.reposts': '{count, plural, one {redistribuire} few {redistribuiri} other {de redistribuiri}}',
  'transparency.count.replies':
    '{count, plural, one {răspuns sau comentariu} few {răspunsuri și comentarii} other {de răspunsuri și comentarii}}',
  'transparency.count.quotes': '{count, plural, one {citare} few {citări} other {de citări}}',
  'transparency.count.impressions': '{count, plural, one {afișare} few {afișări} other {de afișări}}',
  'transparency.count.clicks': '{count, plural, one {clic} few {clicuri} other {de clicuri}}',
  'transparency.medianLateness': 'întârziere mediană',

  'transparency.metric.likes': 'Aprecieri',
  'transparency.metric.reposts': 'Redistribuiri',
  'transparency.metric.replies': 'Răspunsuri și comentarii',
  'transparency.metric.quotes': 'Citări',
  'transparency.metric.impressions': 'Afișări și vizualizări',
  'transparency.metric.clicks': 'Clicuri',

  'transparency.perMonth': 'Publicări pe lună',
  'transparency.chartDesc': 'Grafic cu bare al publicărilor pe lună: {bars}. Aceleași cifre, pe canale, sunt în tabelul de mai jos.',
  'transparency.perMonthCaption': 'Publicări și interacțiuni pe lună și pe canal',
  'transparency.col.month': 'Luna',
  'transparency.col.channel': 'Canal',
  'transparency.col.published': 'Publicate',
  'transparency.col.withdrawn': 'Retrase',
  'transparency.col.campaign': 'Campanie',
  'transparency.col.engagement': 'Interacțiuni',
  'transparency.col.publishedOn': 'Data publicării',
  'transparency.col.withdrawnOn': 'Data retragerii',
  'transparency.col.publications': 'Publicări',
  'transparency.col.median': 'Mediana',
  'transparency.col.p95': 'Percentila 95',
  'transparency.col.max': 'Cea mai mare',
  'transparency.col.platform': 'Platformă',
  'transparency.col.provides': 'Oferă',
  'transparency.col.notes': 'Observații',

  'transparency.campaigns': 'Campanii',
  'transparency.noGoal': 'Niciun obiectiv declarat.',
  'transparency.campaignDates': 'De la {from} până la {to}.',
  'transparency.partners': 'Organizații partenere: {list}.',
  'transparency.noPartners': 'Fără organizații partenere.',
  'transparency.noCampaigns': 'Nicio campanie nu a publicat nimic în această perioadă.',
  'transparency.campaignsCaption': 'Publicări și interacțiuni pe campanie',

  'transparency.top': 'Publicările cu cele mai multe interacțiuni',
  'transparency.topMeta': '{date}, {channel}, campania „{campaign}”. Interacțiuni: {engagement}.',
  'transparency.seePublication': 'Vedeți publicarea',

  'transparency.withdrawn': 'Publicări retrase',
  'transparency.withdrawnIntro': 'Publicările retrase după ce au apărut sunt numărate mai sus și enumerate aici fără textul lor.',
  'transparency.withdrawnCaption': 'Publicări retrase ulterior',

  'transparency.punctuality': 'Punctualitate',
  'transparency.punctualityText':
    'Cât de târziu au apărut publicările față de ora programată: jumătate în cel mult {p50}, 95% în cel mult {p95}; cea mai mare întârziere, {max} ({count, plural, one {# publicare} few {# publicări} other {# de publicări}}).',
  'transparency.punctualityCaption': 'Întârzierea pe canal',

  'transparency.methodology': 'Metodologie',
  'transparency.methodText': '{definition}. Interacțiunile sunt colectate {cadence}. Cea mai recentă colectare: {newest}.',
  'transparency.newestAt': '{at} ({zone})',
  'transparency.noneYet': 'încă niciuna',
  'transparency.platformsCaption': 'Cifrele oferite de fiecare platformă',
  'transparency.providesNone': 'nimic',
  'transparency.method.definition':
    'interacțiuni = aprecieri + redistribuiri + răspunsuri + citări, numărând doar cifrele oferite de fiecare platformă',
  'transparency.cadence.every.minute':
    '{n, plural, =1 {în fiecare minut} one {la fiecare # minut} few {la fiecare # minute} other {la fiecare # de minute}}',
  'transparency.cadence.every.hour':
    '{n, plural, =1 {în fiecare oră} one {la fiecare # oră} few {la fiecare # ore} other {la fiecare # de ore}}',
  'transparency.cadence.every.day': '{n, plural, =1 {zilnic} one {la fiecare # zi} few {la fiecare # zile} other {la fiecare # de zile}}',
  'transparency.cadence.until.minute': '{n, plural, one {# minut} few {# minute} other {# de minute}}',
  'transparency.cadence.until.hour': '{n, plural, one {# oră} few {# ore} other {# de ore}}',
  'transparency.cadence.until.day': '{n, plural, one {# zi} few {# zile} other {# de zile}}',
  'transparency.cadence.step': '{every} până la {until} de la publicare',
  'transparency.cadence.end': '{steps}, apoi nu mai sunt colectate',
  'transparency.platformNote.x':
    'Metricile publice și organice din X API v2; clicurile pe linkuri doar pentru postările proprii ale contului.',
  'transparency.platformNote.mastodon':
    'Favorite, redistribuiri (boost) și răspunsuri; citări acolo unde serverul le numără; Mastodon nu numără vizualizări sau clicuri.',
  'transparency.platformNote.bluesky': 'Bluesky nu numără vizualizări sau clicuri.',
  'transparency.platformNote.facebook':
    'Reacțiile sunt numărate ca aprecieri, distribuirile ca redistribuiri, comentariile ca răspunsuri, iar vizualizările conținutului media ca afișări.',
  'transparency.platformNote.linkedin': 'Statisticile de distribuire ale organizației.',
  'transparency.platformNote.telegram': 'Telegram Bot API nu oferă cifre despre interacțiuni: nu se colectează niciuna.',
  'transparency.platformNote.sandbox': 'Interacțiuni simulate, pentru instruire.',
  'transparency.note.cumulative':
    'Contoarele sunt cumulative: interacțiunile unei publicări reprezintă cea mai recentă valoare colectată, la momentul indicat mai sus.',
  'transparency.note.notAvailable':
    'O cifră pe care platforma nu o oferă apare ca „indisponibil” (celulă goală în CSV, null în JSON), niciodată ca 0.',
  'transparency.note.lateness':
    'Întârzierea este timpul de la ora programată până la publicare, inclusiv timpul în care o publicare a fost amânată de o perioadă de restricție sau de suspendarea publicării.',
  'transparency.note.withdrawn': 'Publicările retrase ulterior sunt numărate și enumerate fără textul lor.',

  'transparency.openData': 'Date deschise',
  'transparency.openDataText': 'Acest raport ca date deschise, licența {licence}, versiunea schemei {version}:',
  'transparency.pdf': 'PDF pentru tipărire',
  'transparency.dataInEnglish': 'Numele câmpurilor din fișierele JSON și CSV sunt în limba engleză.',
  'transparency.generated': 'Generat la {at}.',
};

export const pl: Translations<typeof en> = {
  'transparency.title': 'Raport przejrzystości: {name}',
  'transparency.eyebrow': 'Publiczny raport przejrzystości',
  'transparency.intro':
    'Co opublikowano w mediach społecznościowych od {from} do {to} i jak odbiorcy na to reagowali (dane według stanu na {asOf}).',
  'transparency.languages': 'Język',
  'transparency.period': 'Wybierz okres',
  'transparency.from': 'Od',
  'transparency.to': 'Do (bez tego dnia)',
  'transparency.show': 'Pokaż',
  'transparency.training.title': 'Podgląd szkoleniowy',
  'transparency.training.included':
    '{count, plural, one {# publikacja na kanale testowym (sandbox) jest liczona} few {# publikacje na kanałach testowych (sandbox) są liczone} many {# publikacji na kanałach testowych (sandbox) jest liczonych} other {# publikacji na kanałach testowych (sandbox) jest liczonych}} na tej stronie. Nigdy nie zostały opublikowane na żadnej platformie, a raport publiczny ich nie uwzględnia.',
  'transparency.training.excluded':
    '{count, plural, one {# publikacja na kanale testowym (sandbox) została pominięta} few {# publikacje na kanałach testowych (sandbox) zostały pominięte} many {# publikacji na kanałach testowych (sandbox) zostało pominiętych} other {# publikacji na kanałach testowych (sandbox) zostało pominiętych}}: nigdy nie zostały opublikowane na żadnej platformie.',
  'transparency.training.show': 'Pokaż je jako szkoleniowe',
  'transparency.training.hide': 'Pokaż raport publiczny',
  'transparency.notAvailable': 'brak danych',
  'transparency.none': 'Brak w tym okresie.',
  'transparency.nothingPublished': 'W tym okresie nic nie opublikowano.',

  'transparency.summary': 'Podsumowanie',
  'transparency.count.published': '{count, plural, one {publikacja} few {publikacje} many {publikacji} other {publikacji}}',
  'transparency.count.withdrawn':
    '{count, plural, one {później wycofana} few {później wycofane} many {później wycofanych} other {później wycofanej}}',
  'transparency.count.likes': '{count, plural, one {polubienie} few {polubienia} many {polubień} other {polubienia}}',
  'transparency.count.reposts': '{count, plural, one {udostępnienie} few {udostępnienia} many {udostępnień} other {udostępnienia}}',
  'transparency.count.replies':
    '{count, plural, one {odpowiedź lub komentarz} few {odpowiedzi i komentarze} many {odpowiedzi i komentarzy} other {odpowiedzi i komentarza}}',
  'transparency.count.quotes': '{count, plural, one {cytat} few {cytaty} many {cytatów} other {cytatu}}',
  'transparency.count.impressions': '{count, plural, one {wyświetlenie} few {wyświetlenia} many {wyświetleń} other {wyświetlenia}}',
  'transparency.count.clicks': '{count, plural, one {kliknięcie} few {kliknięcia} many {kliknięć} other {kliknięcia}}',
  'transparency.medianLateness': 'mediana opóźnienia',

  'transparency.metric.likes': 'Polubienia',
  'transparency.metric.reposts': 'Udostępnienia',
  'transparency.metric.replies': 'Odpowiedzi i komentarze',
  'transparency.metric.quotes': 'Cytaty',
  'transparency.metric.impressions': 'Wyświetlenia',
  'transparency.metric.clicks': 'Kliknięcia',

  'transparency.perMonth': 'Publikacje w poszczególnych miesiącach',
  'transparency.chartDesc':
    'Wykres słupkowy liczby publikacji w poszczególnych miesiącach: {bars}. Te same dane w podziale na kanały zawiera tabela poniżej.',
  'transparency.perMonthCaption': 'Publikacje i zaangażowanie według miesięcy i kanałów',
  'transparency.col.month': 'Miesiąc',
  'transparency.col.channel': 'Kanał',
  'transparency.col.published': 'Opublikowane',
  'transparency.col.withdrawn': 'Wycofane',
  'transparency.col.campaign': 'Kampania',
  'transparency.col.engagement': 'Zaangażowanie',
  'transparency.col.publishedOn': 'Data publikacji',
  'transparency.col.withdrawnOn': 'Data wycofania',
  'transparency.col.publications': 'Publikacje',
  'transparency.col.median': 'Mediana',
  'transparency.col.p95': '95. percentyl',
  'transparency.col.max': 'Największe',
  'transparency.col.platform': 'Platforma',
  'transparency.col.provides': 'Podaje',
  'transparency.col.notes': 'Uwagi',

  'transparency.campaigns': 'Kampanie',
  'transparency.noGoal': 'Nie podano celu.',
  'transparency.campaignDates': 'Od {from} do {to}.',
  'transparency.partners': 'Organizacje partnerskie: {list}.',
  'transparency.noPartners': 'Bez organizacji partnerskich.',
  'transparency.noCampaigns': 'W tym okresie żadna kampania niczego nie opublikowała.',
  'transparency.campaignsCaption': 'Publikacje i zaangażowanie według kampanii',

  'transparency.top': 'Publikacje o największym zaangażowaniu',
  'transparency.topMeta': '{date}, {channel}, kampania „{campaign}”. Zaangażowanie: {engagement}.',
  'transparency.seePublication': 'Zobacz publikację',

  'transparency.withdrawn': 'Wycofane publikacje',
  'transparency.withdrawnIntro':
    'Publikacje usunięte już po opublikowaniu są uwzględnione w liczbach powyżej, a tutaj wymienione bez ich treści.',
  'transparency.withdrawnCaption': 'Publikacje później wycofane',

  'transparency.punctuality': 'Punktualność',
  'transparency.punctualityText':
    'Z jakim opóźnieniem względem zaplanowanego terminu ukazywały się publikacje: połowa w ciągu {p50}, 95% w ciągu {p95}; największe opóźnienie wyniosło {max} ({count, plural, one {# publikacja} few {# publikacje} many {# publikacji} other {# publikacji}}).',
  'transparency.punctualityCaption': 'Opóźnienie według kanałów',

  'transparency.methodology': 'Metodologia',
  'transparency.methodText': '{definition}. Dane o zaangażowaniu są pobierane {cadence}. Ostatnie pobranie: {newest}.',
  'transparency.newestAt': '{at} ({zone})',
  'transparency.noneYet': 'jeszcze nie było',
  'transparency.platformsCaption': 'Dane podawane przez poszczególne platformy',
  'transparency.providesNone': 'żadnych danych',
  'transparency.method.definition':
    'zaangażowanie = polubienia + udostępnienia + odpowiedzi + cytaty, z uwzględnieniem tylko danych podawanych przez platformę',
  'transparency.cadence.every.minute':
    '{n, plural, =1 {co minutę} one {co # minutę} few {co # minuty} many {co # minut} other {co # minuty}}',
  'transparency.cadence.every.hour':
    '{n, plural, =1 {co godzinę} one {co # godzinę} few {co # godziny} many {co # godzin} other {co # godziny}}',
  'transparency.cadence.every.day': '{n, plural, =1 {codziennie} one {co # dzień} few {co # dni} many {co # dni} other {co # dnia}}',
  'transparency.cadence.until.minute': '{n, plural, one {# minuty} few {# minut} many {# minut} other {# minuty}}',
  'transparency.cadence.until.hour': '{n, plural, one {# godziny} few {# godzin} many {# godzin} other {# godziny}}',
  'transparency.cadence.until.day': '{n, plural, one {# dnia} few {# dni} many {# dni} other {# dnia}}',
  'transparency.cadence.step': '{every} do {until} po publikacji',
  'transparency.cadence.end': '{steps}, a potem już nie',
  'transparency.platformNote.x': 'Publiczne i organiczne wskaźniki X API v2; kliknięcia w linki tylko dla własnych wpisów konta.',
  'transparency.platformNote.mastodon':
    'Polubienia (ulubione), podbicia i odpowiedzi; cytaty, jeśli serwer je zlicza; Mastodon nie zlicza wyświetleń ani kliknięć.',
  'transparency.platformNote.bluesky': 'Bluesky nie zlicza wyświetleń ani kliknięć.',
  'transparency.platformNote.facebook':
    'Reakcje liczone są jako polubienia, komentarze jako odpowiedzi, a wyświetlenia multimediów jako wyświetlenia.',
  'transparency.platformNote.linkedin': 'Statystyki udostępnień organizacji.',
  'transparency.platformNote.telegram': 'Telegram Bot API nie podaje danych o zaangażowaniu, więc nie są one zbierane.',
  'transparency.platformNote.sandbox': 'Symulowane zaangażowanie do celów szkoleniowych.',
  'transparency.note.cumulative':
    'Liczniki są narastające: zaangażowanie publikacji to ostatnia zebrana wartość, według stanu na podany wyżej czas.',
  'transparency.note.notAvailable':
    'Dane, których platforma nie podaje, oznaczono jako „brak danych” (pusta komórka w CSV, null w JSON), nigdy jako 0.',
  'transparency.note.lateness':
    'Opóźnienie to czas od zaplanowanej godziny do publikacji, łącznie z czasem, przez który publikację wstrzymywał okres blokady publikacji lub zawieszenie publikowania.',
  'transparency.note.withdrawn': 'Publikacje później wycofane są wliczone i wymienione bez ich treści.',

  'transparency.openData': 'Otwarte dane',
  'transparency.openDataText': 'Ten raport jako otwarte dane, licencja {licence}, wersja schematu {version}:',
  'transparency.pdf': 'PDF do druku',
  'transparency.dataInEnglish': 'Nazwy pól w plikach JSON i CSV są po angielsku.',
  'transparency.generated': 'Wygenerowano {at}.',
};

export const bs: Translations<typeof en> = {
  'transparency.title': 'Izvještaj o transparentnosti: {name}',
  'transparency.eyebrow': 'Javni izvještaj o transparentnosti',
  'transparency.intro': 'Šta je objavljeno na društvenim mrežama od {from} do {to} i kako su ljudi reagovali (podaci na dan {asOf}).',
  'transparency.languages': 'Jezik',
  'transparency.period': 'Odaberite period',
  'transparency.from': 'Od',
  'transparency.to': 'Do (ne uključujući taj dan)',
  'transparency.show': 'Prikaži',
  'transparency.training.title': 'Pregled za obuku',
  'transparency.training.included':
    '{count, plural, one {# objava na kanalu za obuku (sandbox) uračunata je} few {# objave na kanalima za obuku (sandbox) uračunate su} other {# objava na kanalima za obuku (sandbox) uračunato je}} na ovoj stranici. Nikada nisu objavljene ni na jednoj platformi, a javni izvještaj ih ne uključuje.',
  'transparency.training.excluded':
    '{count, plural, one {# objava na kanalu za obuku (sandbox) nije uračunata} few {# objave na kanalima za obuku (sandbox) nisu uračunate} other {# objava na kanalima za obuku (sandbox) nije uračunato}}: nikada nisu objavljene ni na jednoj platformi.',
  'transparency.training.show': 'Prikaži ih, označene kao obuka',
  'transparency.training.hide': 'Prikaži javni izvještaj',
  'transparency.notAvailable': 'nema podataka',
  'transparency.none': 'Ništa u ovom periodu.',
  'transparency.nothingPublished': 'U ovom periodu ništa nije objavljeno.',

  'transparency.summary': 'Sažetak',
  'transparency.count.published': '{count, plural, one {objava} few {objave} other {objava}}',
  'transparency.count.withdrawn': '{count, plural, one {naknadno povučena} few {naknadno povučene} other {naknadno povučenih}}',
  'transparency.count.likes': '{count, plural, one {sviđanje} few {sviđanja} other {sviđanja}}',
  'transparency.count.reposts': '{count, plural, one {dijeljenje} few {dijeljenja} other {dijeljenja}}',
  'transparency.count.replies': '{count, plural, one {odgovor ili komentar} few {odgovora i komentara} other {odgovora i komentara}}',
  'transparency.count.quotes': '{count, plural, one {citat} few {citata} other {citata}}',
  'transparency.count.impressions': '{count, plural, one {prikaz} few {prikaza} other {prikaza}}',
  'transparency.count.clicks': '{count, plural, one {klik} few {klika} other {klikova}}',
  'transparency.medianLateness': 'medijan kašnjenja',

  'transparency.metric.likes': 'Sviđanja',
  'transparency.metric.reposts': 'Dijeljenja',
  'transparency.metric.replies': 'Odgovori i komentari',
  'transparency.metric.quotes': 'Citati',
  'transparency.metric.impressions': 'Prikazi i pregledi',
  'transparency.metric.clicks': 'Klikovi',

  'transparency.perMonth': 'Objave po mjesecima',
  'transparency.chartDesc': 'Stubičasti grafikon objava po mjesecima: {bars}. Iste brojke po kanalima nalaze se u tabeli ispod.',
  'transparency.perMonthCaption': 'Objave i angažman po mjesecima i kanalima',
  'transparency.col.month': 'Mjesec',
  'transparency.col.channel': 'Kanal',
  'transparency.col.published': 'Objavljeno',
  'transparency.col.withdrawn': 'Povučeno',
  'transparency.col.campaign': 'Kampanja',
  'transparency.col.engagement': 'Angažman',
  'transparency.col.publishedOn': 'Datum objave',
  'transparency.col.withdrawnOn': 'Datum povlačenja',
  'transparency.col.publications': 'Objave',
  'transparency.col.median': 'Medijan',
  'transparency.col.p95': '95. percentil',
  'transparency.col.max': 'Najveće',
  'transparency.col.platform': 'Platforma',
  'transparency.col.provides': 'Daje',
  'transparency.col.notes': 'Napomene',

  'transparency.campaigns': 'Kampanje',
  'transparency.noGoal': 'Cilj nije naveden.',
  'transparency.campaignDates': 'Od {from} do {to}.',
  'transparency.partners': 'Partnerske organizacije: {list}.',
  'transparency.noPartners': 'Bez partnerskih organizacija.',
  'transparency.noCampaigns': 'Nijedna kampanja nije ništa objavila u ovom periodu.',
  'transparency.campaignsCaption': 'Objave i angažman po kampanjama',

  'transparency.top': 'Objave s najvećim angažmanom',
  'transparency.topMeta': '{date}, {channel}, kampanja „{campaign}“. Angažman: {engagement}.',
  'transparency.seePublication': 'Pogledajte objavu',

  'transparency.withdrawn': 'Povučene objave',
  'transparency.withdrawnIntro': 'Objave uklonjene nakon objavljivanja uračunate su u brojke iznad, a ovdje su navedene bez teksta.',
  'transparency.withdrawnCaption': 'Naknadno povučene objave',

  'transparency.punctuality': 'Tačnost',
  'transparency.punctualityText':
    'Koliko su objave kasnile u odnosu na zakazano vrijeme: polovina je objavljena u roku od {p50}, 95% u roku od {p95}; najveće kašnjenje bilo je {max} ({count, plural, one {# objava} few {# objave} other {# objava}}).',
  'transparency.punctualityCaption': 'Kašnjenje po kanalima',

  'transparency.methodology': 'Metodologija',
  'transparency.methodText': '{definition}. Podaci o angažmanu prikupljaju se {cadence}. Posljednje prikupljanje: {newest}.',
  'transparency.newestAt': '{at} ({zone})',
  'transparency.noneYet': 'još nije bilo',
  'transparency.platformsCaption': 'Brojke koje daje svaka platforma',
  'transparency.providesNone': 'ništa',
  'transparency.method.definition':
    'angažman = sviđanja + dijeljenja + odgovori + citati, uz brojanje samo onih podataka koje platforma daje',
  'transparency.cadence.every.minute': '{n, plural, =1 {svake minute} one {svake # minute} few {svake # minute} other {svakih # minuta}}',
  'transparency.cadence.every.hour': '{n, plural, =1 {svakog sata} one {svakog # sata} few {svaka # sata} other {svakih # sati}}',
  'transparency.cadence.every.day': '{n, plural, =1 {svaki dan} one {svaki # dan} few {svaka # dana} other {svakih # dana}}',
  'transparency.cadence.until.minute': '{n, plural, one {# minute} few {# minute} other {# minuta}}',
  'transparency.cadence.until.hour': '{n, plural, one {# sata} few {# sata} other {# sati}}',
  'transparency.cadence.until.day': '{n, plural, one {# dana} few {# dana} other {# dana}}',
  'transparency.cadence.step': '{every} do {until} nakon objave',
  'transparency.cadence.end': '{steps}, a nakon toga više ne',
  'transparency.platformNote.x': 'Javne i organske metrike iz X API v2; klikovi na linkove samo za vlastite objave naloga.',
  'transparency.platformNote.mastodon':
    'Favoriti, podrške (boost) i odgovori; citati tamo gdje ih server broji; Mastodon ne broji preglede ni klikove.',
  'transparency.platformNote.bluesky': 'Bluesky ne broji preglede ni klikove.',
  'transparency.platformNote.facebook': 'Reakcije se broje kao sviđanja, komentari kao odgovori, a pregledi medija kao prikazi.',
  'transparency.platformNote.linkedin': 'Statistika dijeljenja organizacije.',
  'transparency.platformNote.telegram': 'Telegram Bot API ne daje podatke o angažmanu, pa se oni ne prikupljaju.',
  'transparency.platformNote.sandbox': 'Simulirani angažman za obuku.',
  'transparency.note.cumulative':
    'Brojači su kumulativni: angažman objave je posljednja prikupljena vrijednost, prema stanju u gore navedeno vrijeme.',
  'transparency.note.notAvailable':
    'Brojka koju platforma ne daje prikazana je kao „nema podataka“ (prazno polje u CSV-u, null u JSON-u), nikada kao 0.',
  'transparency.note.lateness':
    'Kašnjenje je vrijeme od zakazanog termina do objave, uključujući vrijeme u kojem je objava bila zadržana zbog perioda zabrane objavljivanja ili obustave objavljivanja.',
  'transparency.note.withdrawn': 'Naknadno povučene objave su uračunate i navedene bez teksta.',

  'transparency.openData': 'Otvoreni podaci',
  'transparency.openDataText': 'Ovaj izvještaj kao otvoreni podaci, licenca {licence}, verzija sheme {version}:',
  'transparency.pdf': 'PDF za štampu',
  'transparency.dataInEnglish': 'Nazivi polja u JSON i CSV datotekama su na engleskom jeziku.',
  'transparency.generated': 'Generisano {at}.',
};

export const uk: Translations<typeof en> = {
  'transparency.title': 'Звіт про прозорість: {name}',
  'transparency.eyebrow': 'Публічний звіт про прозорість',
  'transparency.intro': 'Що було опубліковано в соціальних мережах з {from} по {to} і як люди на це реагували (дані станом на {asOf}).',
  'transparency.languages': 'Мова',
  'transparency.period': 'Оберіть період',
  'transparency.from': 'Від',
  'transparency.to': 'До (не включно)',
  'transparency.show': 'Показати',
  'transparency.training.title': 'Навчальний перегляд',
  'transparency.training.included':
    '{count, plural, one {# публікацію на навчальному каналі (sandbox) враховано} few {# публікації на навчальних каналах (sandbox) враховано} many {# публікацій на навчальних каналах (sandbox) враховано} other {# публікації на навчальних каналах (sandbox) враховано}} на цій сторінці. Їх ніколи не було опубліковано на жодній платформі, і публічний звіт їх не враховує.',
  'transparency.training.excluded':
    '{count, plural, one {# публікацію на навчальному каналі (sandbox) не враховано} few {# публікації на навчальних каналах (sandbox) не враховано} many {# публікацій на навчальних каналах (sandbox) не враховано} other {# публікації на навчальних каналах (sandbox) не враховано}}: їх ніколи не було опубліковано на жодній платформі.',
  'transparency.training.show': 'Показати їх із позначкою «навчання»',
  'transparency.training.hide': 'Показати публічний звіт',
  'transparency.notAvailable': 'немає даних',
  'transparency.none': 'За цей період нічого немає.',
  'transparency.nothingPublished': 'За цей період нічого не опубліковано.',

  'transparency.summary': 'Підсумок',
  'transparency.count.published': '{count, plural, one {публікація} few {публікації} many {публікацій} other {публікації}}',
  'transparency.count.withdrawn':
    '{count, plural, one {згодом відкликана} few {згодом відкликані} many {згодом відкликаних} other {згодом відкликаної}}',
  'transparency.count.likes': '{count, plural, one {вподобання} few {вподобання} many {вподобань} other {вподобання}}',
  'transparency.count.reposts': '{count, plural, one {поширення} few {поширення} many {поширень} other {поширення}}',
  'transparency.count.replies':
    '{count, plural, one {відповідь чи коментар} few {відповіді й коментарі} many {відповідей і коментарів} other {відповіді й коментаря}}',
  'transparency.count.quotes': '{count, plural, one {цитування} few {цитування} many {цитувань} other {цитування}}',
  'transparency.count.impressions': '{count, plural, one {перегляд} few {перегляди} many {переглядів} other {перегляду}}',
  'transparency.count.clicks': '{count, plural, one {клік} few {кліки} many {кліків} other {кліка}}',
  'transparency.medianLateness': 'медіанне запізнення',

  'transparency.metric.likes': 'Вподобання',
  'transparency.metric.reposts': 'Поширення',
  'transparency.metric.replies': 'Відповіді й коментарі',
  'transparency.metric.quotes': 'Цитування',
  'transparency.metric.impressions': 'Покази й перегляди',
  'transparency.metric.clicks': 'Кліки',

  'transparency.perMonth': 'Публікації за місяцями',
  'transparency.chartDesc': 'Стовпчикова діаграма публікацій за місяцями: {bars}. Ці самі дані в розрізі каналів наведено в таблиці нижче.',
  'transparency.perMonthCaption': 'Публікації та залученість за місяцями й каналами',
  'transparency.col.month': 'Місяць',
  'transparency.col.channel': 'Канал',
  'transparency.col.published': 'Опубліковано',
  'transparency.col.withdrawn': 'Відкликано',
  'transparency.col.campaign': 'Кампанія',
  'transparency.col.engagement': 'Залученість',
  'transparency.col.publishedOn': 'Дата публікації',
  'transparency.col.withdrawnOn': 'Дата відкликання',
  'transparency.col.publications': 'Публікації',
  'transparency.col.median': 'Медіана',
  'transparency.col.p95': '95-й процентиль',
  'transparency.col.max': 'Найбільше',
  'transparency.col.platform': 'Платформа',
  'transparency.col.provides': 'Надає',
  'transparency.col.notes': 'Примітки',

  'transparency.campaigns': 'Кампанії',
  'transparency.noGoal': 'Мету не зазначено.',
  'transparency.campaignDates': 'З {from} по {to}.',
  'transparency.partners': 'Організації-партнери: {list}.',
  'transparency.noPartners': 'Без організацій-партнерів.',
  'transparency.noCampaigns': 'За цей період жодна кампанія нічого не опублікувала.',
  'transparency.campaignsCaption': 'Публікації та залученість за кампаніями',

  'transparency.top': 'Публікації з найбільшою залученістю',
  'transparency.topMeta': '{date}, {channel}, кампанія «{campaign}». Залученість: {engagement}.',
  'transparency.seePublication': 'Переглянути публікацію',

  'transparency.withdrawn': 'Відкликані публікації',
  'transparency.withdrawnIntro': 'Публікації, зняті вже після оприлюднення, враховано в цифрах вище, а тут наведено без їхнього тексту.',
  'transparency.withdrawnCaption': 'Згодом відкликані публікації',

  'transparency.punctuality': 'Пунктуальність',
  'transparency.punctualityText':
    'Наскільки пізніше за запланований час виходили публікації: половина — протягом {p50}, 95% — протягом {p95}; найбільше запізнення — {max} ({count, plural, one {# публікація} few {# публікації} many {# публікацій} other {# публікації}}).',
  'transparency.punctualityCaption': 'Запізнення за каналами',

  'transparency.methodology': 'Методологія',
  'transparency.methodText': '{definition}. Дані про залученість збираються {cadence}. Останнє збирання: {newest}.',
  'transparency.newestAt': '{at} ({zone})',
  'transparency.noneYet': 'ще не було',
  'transparency.platformsCaption': 'Показники, які надає кожна платформа',
  'transparency.providesNone': 'жодних',
  'transparency.method.definition':
    'залученість = вподобання + поширення + відповіді + цитування; враховано лише показники, які надає платформа',
  'transparency.cadence.every.minute':
    '{n, plural, =1 {щохвилини} one {кожну # хвилину} few {кожні # хвилини} many {кожні # хвилин} other {кожні # хвилини}}',
  'transparency.cadence.every.hour':
    '{n, plural, =1 {щогодини} one {кожну # годину} few {кожні # години} many {кожні # годин} other {кожні # години}}',
  'transparency.cadence.every.day': '{n, plural, =1 {щодня} one {кожен # день} few {кожні # дні} many {кожні # днів} other {кожні # дня}}',
  'transparency.cadence.until.minute': '{n, plural, one {# хвилини} few {# хвилин} many {# хвилин} other {# хвилини}}',
  'transparency.cadence.until.hour': '{n, plural, one {# години} few {# годин} many {# годин} other {# години}}',
  'transparency.cadence.until.day': '{n, plural, one {# дня} few {# днів} many {# днів} other {# дня}}',
  'transparency.cadence.step': '{every} до {until} після публікації',
  'transparency.cadence.end': '{steps}, а після цього не збираються',
  'transparency.platformNote.x': 'Публічні й органічні показники X API v2; кліки за посиланнями — лише для власних дописів акаунта.',
  'transparency.platformNote.mastodon':
    'Вподобання (обране), поширення (boost) і відповіді; цитування — якщо сервер їх рахує; Mastodon не рахує переглядів і кліків.',
  'transparency.platformNote.bluesky': 'Bluesky не рахує переглядів і кліків.',
  'transparency.platformNote.facebook': 'Реакції враховано як вподобання, коментарі — як відповіді, перегляди медіа — як покази.',
  'transparency.platformNote.linkedin': 'Статистика поширень організації.',
  'transparency.platformNote.telegram': 'Telegram Bot API не надає даних про залученість, тому вони не збираються.',
  'transparency.platformNote.sandbox': 'Імітована залученість для навчання.',
  'transparency.note.cumulative':
    'Лічильники накопичувальні: залученість публікації — це останнє зібране значення станом на зазначений вище час.',
  'transparency.note.notAvailable':
    'Показник, якого платформа не надає, позначено як «немає даних» (порожня клітинка в CSV, null у JSON), а не 0.',
  'transparency.note.lateness':
    'Запізнення — це час від запланованого моменту до публікації, включно з часом, коли публікацію затримувало вікно заборони публікацій або призупинення публікування.',
  'transparency.note.withdrawn': 'Згодом відкликані публікації враховано й наведено без їхнього тексту.',

  'transparency.openData': 'Відкриті дані',
  'transparency.openDataText': 'Цей звіт як відкриті дані, ліцензія {licence}, версія схеми {version}:',
  'transparency.pdf': 'PDF для друку',
  'transparency.dataInEnglish': 'Назви полів у файлах JSON і CSV — англійською мовою.',
  'transparency.generated': 'Згенеровано {at}.',
};
