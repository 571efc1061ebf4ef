package bench

// The words the generator builds a fictional Dutch library network from.

var places = []string{
	"Amersfoort", "Apeldoorn", "Arnhem", "Assen", "Breda", "Delft", "Deventer", "Doetinchem", "Dordrecht",
	"Ede", "Eindhoven", "Emmen", "Enschede", "Gouda", "Groningen", "Haarlem", "Harderwijk", "Heerenveen",
	"Helmond", "Hengelo", "Hilversum", "Hoorn", "Kampen", "Leeuwarden", "Leiden", "Lelystad", "Maastricht",
	"Meppel", "Middelburg", "Nijmegen", "Oss", "Purmerend", "Roermond", "Roosendaal", "Schiedam", "Sittard",
	"Sneek", "Tiel", "Tilburg", "Utrecht", "Veenendaal", "Venlo", "Vlaardingen", "Vlissingen", "Weert",
	"Winterswijk", "Woerden", "Zaandam", "Zeist", "Zoetermeer", "Zutphen", "Zwolle", "Alkmaar", "Almelo",
	"Bergen op Zoom", "Culemborg", "Drachten", "Goes", "Gorinchem", "Hardenberg", "Hoogeveen", "Katwijk",
	"Nieuwegein", "Oosterhout", "Schagen", "Steenwijk", "Terneuzen", "Uden", "Valkenswaard", "Waalwijk",
}

var districts = []string{
	"Centrum", "Noord", "Oost", "Zuid", "West", "Het Zand", "De Hoven", "Kanaleneiland", "Overvecht",
	"Leidsche Rijn", "Schothorst", "Vathorst", "Hoograven", "Lombok", "De Meern", "Vleuten", "Zuilen",
}

var partnerKinds = []string{
	"Basisschool De Regenboog", "Basisschool De Klimop", "Kindcentrum De Linde", "OBS Het Palet",
	"Stichting Welzijn", "Taalhuis Partners", "Museum", "Theater", "ROC", "Kinderopvang De Boomhut",
}

var firstNames = []string{
	"Anna", "Bram", "Carla", "Daan", "Eva", "Fleur", "Gijs", "Hanna", "Ingrid", "Jan", "Karin", "Lars",
	"Marieke", "Noor", "Otto", "Petra", "Quinten", "Rianne", "Sem", "Tessa", "Umut", "Vera", "Willem",
	"Yara", "Zoë", "Ahmed", "Bas", "Chantal", "Dirk", "Esther", "Fatima", "Gerrit", "Hendrik", "Iris",
	"Joost", "Kees", "Lotte", "Mohamed", "Nina", "Olga", "Pieter", "Roos", "Sanne", "Thijs", "Ilse",
	"Wouter", "Yusuf", "Annelies", "Bart", "Cor", "Dewi", "Elif", "Femke", "Gerda", "Henk", "Ivo",
	"Jolien", "Koen", "Linda", "Maarten", "Nadia", "Paul", "Rutger", "Saskia", "Tom", "Ursula", "Vincent",
}

var lastNames = []string{
	"de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
	"de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit",
	"Dijkstra", "Smits", "de Graaf", "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan",
	"Vermeulen", "van den Heuvel", "van der Veen", "van den Broek", "de Bruijn", "de Jong", "Schouten",
	"van Dijk", "Willems", "Hoekstra", "Koster", "Prins", "Huisman", "Kuipers", "Postma", "Yılmaz",
	"El Amrani", "Wijaya", "Kaya", "Nguyen", "Boukhari", "Mertens", "Verhoeven", "Sanders", "Gerritsen",
}

var functions = []string{
	"leesconsulent", "frontoffice", "educatiemanager", "collectiespecialist", "mediacoach",
	"medewerker klantenservice", "programmamaker", "bibliothecaris", "teamleider", "directeur",
	"projectleider digitale inclusie", "taalcoach", "vestigingsmanager", "communicatieadviseur",
	"ICT-beheerder", "medewerker jeugd", "adviseur informatievaardigheden", "coördinator vrijwilligers",
}

// topics are the #topics of posts and the tags of people, normalised (lower case, no spaces).
var topics = []string{
	"leesbevordering", "boekstart", "bibliotheekopschool", "digitaalhuis", "taalhuis", "laaggeletterdheid",
	"collectie", "e-books", "luisterboeken", "jeugd", "jongeren", "senioren", "mediawijsheid",
	"programmering", "kinderboekenweek", "nationalevoorleesdagen", "boekenweek", "poëzieweek",
	"makerspace", "coderdojo", "informatievaardigheden", "digid", "belastingaangifte", "klantcontact",
	"selfservice", "rfid", "huisvesting", "inrichting", "marketing", "communicatie", "nieuwsbrief",
	"subsidie", "provincie", "gemeente", "onderwijs", "vve", "dagopvang", "vrijwilligers", "bestuur",
	"jaarverslag", "privacy", "avg", "veiligheid", "bhv", "klimaat", "duurzaamheid", "schoolbibliotheek",
	"dbos", "monitor", "leesclub", "schrijfwedstrijd", "debat", "lezing", "tentoonstelling", "erfgoed",
	"lokalegeschiedenis", "muziek", "film", "gaming", "podcast", "zomerlezen", "vakantiebieb",
	"voorleesexpress", "nt2", "inburgering", "werkzoekenden", "geldzaken", "gezondheid", "dementie",
	"eenzaamheid", "toegankelijkheid", "dyslexie", "grootletterboeken", "daisy", "braille", "opleiding",
	"scholing", "intervisie", "werkoverleg", "rooster", "openingstijden", "zondagopening", "wifi",
	"printen", "scannen", "3dprinter", "robotica", "ai", "chatgpt", "nepnieuws", "verkiezingen",
}

var groupThemes = []string{
	"Theeducatie", "de Bibliotheek op school", "BoekStart", "digiTaalhuis", "Frontoffice", "Collectie",
	"Leesclubs", "Mediawijsheid", "Programmering", "Jeugd en Onderwijs", "Klantcontact", "Marketing",
	"Makerspace", "Informatiepunt Digitale Overheid", "Taalhuis", "Vrijwilligers", "Management",
	"ICT en Selfservice", "Huisvesting", "Kinderboekenweek", "Zomerlezen", "Erfgoed", "Debat en Lezingen",
	"Schoolbibliotheken", "Voorleesexpress", "Geldzaken", "Gezondheid", "Senioren", "Jongeren", "Gaming",
}

var sentences = []string{
	"Morgen starten we met de nieuwe leesclub in de vestiging.",
	"Wie heeft er ervaring met het aanvragen van subsidie bij de provincie?",
	"De evaluatie van de Kinderboekenweek staat in de gedeelde map.",
	"Vanaf volgende week is de makerspace ook op woensdagmiddag open.",
	"Dank aan iedereen die zaterdag heeft geholpen bij de boekenmarkt!",
	"We zoeken nog twee vrijwilligers voor het spreekuur van het Informatiepunt.",
	"Heeft iemand een goed voorbeeld van een leesplan voor groep 5 tot en met 8?",
	"De nieuwe selfservicezuilen werken goed, alleen de bonprinter hapert soms.",
	"Het rooster voor de zomer staat online; graag voor vrijdag reageren.",
	"Vandaag kwamen er veertig kinderen naar de voorleesochtend.",
	"Let op: de wifi in de studiezaal wordt dinsdag vervangen.",
	"Tip: de webinar over mediawijsheid is terug te kijken.",
	"Wij hebben goede ervaringen met taalcafés op de zaterdagochtend.",
	"Kan iemand mij helpen met de rapportage voor de monitor?",
	"De collectie grootletterboeken is uitgebreid met vijftig titels.",
	"Vorige week hebben we de eerste digitale spreekuren voor senioren gehouden.",
	"Het overleg van donderdag wordt verplaatst naar vrijdagochtend.",
	"Goed nieuws: de gemeente verlengt de subsidie voor het Taalhuis.",
	"In de bijlage staat de presentatie van de regiobijeenkomst.",
	"Wie gaat er mee naar de landelijke dag in Utrecht?",
	"De schoolbibliotheek van De Regenboog is vernieuwd en het ziet er prachtig uit.",
	"Wij zoeken een spreker voor een avond over nepnieuws en verkiezingen.",
	"Iemand ervaring met escape rooms in de bibliotheek?",
	"Het aantal uitleningen in de vakantie is met twaalf procent gestegen.",
}

var commentSentences = []string{
	"Goed idee!", "Dank je wel, heel handig.", "Wij doen hetzelfde, werkt prima.", "Mooi resultaat!",
	"Ik stuur je een bericht.", "Kunnen we dit bespreken in het overleg?", "Top, ik ben erbij.",
	"Heb je daar een voorbeeld van?", "Bij ons werkt het via de gemeente.", "Leuk om te lezen!",
	"Ik kijk het na en kom erop terug.", "Dat herken ik.", "Staat genoteerd.", "Gefeliciteerd!",
}

var pollOptions = []string{
	"Maandag", "Dinsdag", "Woensdag", "Donderdag", "Vrijdag", "Online", "In de vestiging", "Ja", "Nee",
	"Misschien", "Ochtend", "Middag", "Avond",
}
