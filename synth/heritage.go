package synth

import (
	"strconv"
	"strings"

	"github.com/placematch/placematch/catalogue"
)

// heritageSpec describes a heritage: the SSDA903 code, languages, religion and names that go
// together, so that a child's or a household's identity is consistent. Lists are space
// separated; religion is "name:weight ...".
type heritageSpec struct {
	name       string
	code       catalogue.Ethnicity
	weight     float64 // weight within its ethnic group, for children born here
	london     float64 // multiplier of weight in London (0: 1)
	uasc       float64 // weight among unaccompanied asylum-seeking children (0: never)
	langs      string  // languages spoken at home besides English, main first
	childLang  float64 // chance a child born here has the main language as first language
	religion   string
	boys       string
	girls      string
	youngBoys  string // for children born from 2015, when fashions differ
	youngGirls string
	men        string // adults (carers, relatives); empty: British names
	women      string
	surnames   string // empty: British surnames
	mum        string // how a child names their mother; empty: Mum
	dad        string
	nan        string
}

// Shared British lists, used by heritages that leave a list empty.
const (
	britishBoys       = "Jack Harry Charlie Thomas Oliver Joshua Alfie Riley Kyle Jayden Callum Connor Liam Tyler Mason Lewis Bradley Kian Reece Ethan Dylan Kai Logan Brandon Jake Jordan Ryan Declan Corey Leon Louis Max Alex Tommy Owen Finley Jamie Aiden Harvey Archie Luke Sam Ben Daniel Josh"
	britishGirls      = "Chloe Jessica Lily Ellie Amelia Sophie Olivia Ruby Courtney Paige Megan Shannon Leah Jade Kayla Holly Lacey Mia Evie Millie Tia Amber Skye Caitlin Charlotte Emily Grace Lauren Bethany Hannah Abbie Demi Keira Summer Libby Niamh Erin Katie Freya Macy"
	britishYoungBoys  = "Oliver Noah George Arthur Leo Freddie Theo Archie Oscar Tommy Teddy Reggie Albie Ronnie Harley Jaxon Ezra Alfie Louie Jude Rory Finn Frankie Hunter Bobby Jenson Harry Jack Charlie Henry"
	britishYoungGirls = "Olivia Amelia Isla Ava Lily Freya Ivy Willow Rosie Bonnie Maisie Poppy Luna Esme Harper Aria Nova Daisy Evie Sienna Ella Mila Millie Phoebe Lottie Hallie Margot Elsie Isabella Grace"
	britishMen        = "David Mark Paul Steve Andy Gary Darren Lee Craig Ian Rob Neil Martin Kevin Tony Phil Simon Chris Stuart Wayne Jason Richard Matt Dean Carl Shaun Graham Pete Gareth Nathan"
	britishWomen      = "Sarah Karen Lisa Michelle Julie Claire Emma Nicola Joanne Helen Tracey Dawn Angela Mandy Sue Jackie Kelly Donna Gemma Rachel Louise Vicky Debbie Jo Kirsty Hayley Lynn Anne Jenny Becky"
	britishOldMen     = "Ken Derek Barry Terry Roy Alan Keith Colin Trevor Brian Dave Mick Geoff Malcolm"
	britishOldWomen   = "Pat Linda Carol Sandra Margaret Jean Christine Brenda Pauline Maureen Sheila Janet Denise Lorraine"
	britishSurnames   = "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White Roberts Green Hall Wood Jackson Clarke Harris Lewis Cooper King Baker Turner Hill Moore Ward Hughes Edwards Morris Bell Shaw Parker Watson Armstrong Robson Dixon Charlton Heslop Ashworth Hargreaves Whittaker Greenwood Haworth Butterworth Entwistle Pearson Holmes Marsh Kaur Begum Mitchell Price Lloyd Fletcher Webb Barker Foster Chapman Harvey"
)

func heritageSpecs() []heritageSpec {
	return []heritageSpec{
		// White
		{name: "British", code: "WBRI", weight: 85, london: 0.55, religion: "none:55 christian:42 other:2 jewish:1",
			boys: britishBoys, girls: britishGirls, youngBoys: britishYoungBoys, youngGirls: britishYoungGirls},
		{name: "Irish", code: "WIRI", weight: 1.2, london: 2, religion: "christian:75 none:25",
			boys: "Cian Sean Conor Oisin Ciaran Padraig Darragh Liam Eoin Ronan", girls: "Aoife Niamh Ciara Saoirse Siobhan Orla Roisin Caoimhe Grainne Aisling",
			men: "Sean Patrick Michael Brendan Declan Kieran", women: "Siobhan Mary Bridget Deirdre Maeve Fiona",
			surnames: "Murphy Kelly O'Brien Byrne Ryan O'Sullivan Walsh Doyle McCarthy Gallagher O'Connor Brennan"},
		{name: "Irish Traveller", code: "WIRT", weight: 1.5, religion: "christian:90 none:10",
			boys: "John Patrick Michael Johnny Martin Paddy Joe James Tom Christy", girls: "Mary Bridget Margaret Kathleen Nora Ellen Winnie Josie Chantelle Shannon",
			men: "John Patrick Michael Martin Jimmy", women: "Mary Bridget Margaret Kathleen Nora",
			surnames: "McDonagh Ward Joyce Maughan Connors Doran Stokes Sweeney Cash Rooney"},
		{name: "Roma", code: "WROM", weight: 1.2, london: 1.5, langs: "sk cs ro", childLang: 0.5, religion: "christian:80 none:20",
			boys: "Marian Jozef Roman Daniel Dominik Erik Patrik Lukas Adrian Tibor", girls: "Denisa Simona Veronika Nikola Vanessa Andrea Monika Sabina Kristina Renata",
			men: "Jozef Marian Ladislav Milan", women: "Maria Helena Renata Eva", surnames: "Horvath Balog Lakatos Kovac Dudas Olah Gazi Sarkozi Bandi Mirga"},
		{name: "Polish", code: "WOTH", weight: 3.5, langs: "pl", childLang: 0.45, religion: "christian:80 none:20",
			boys: "Jakub Kacper Szymon Filip Mateusz Bartosz Oskar Antoni Wiktor Igor", girls: "Oliwia Zuzanna Julia Maja Lena Wiktoria Natalia Amelia Hanna Zofia",
			men: "Piotr Tomasz Marcin Krzysztof Pawel Michal", women: "Agnieszka Katarzyna Anna Monika Ewa Magdalena",
			surnames: "Nowak Kowalski Wisniewski Wojcik Kaminski Lewandowski Zielinski Szymanski Kowalczyk Mazur", mum: "Mama", dad: "Tata", nan: "Babcia"},
		{name: "Romanian", code: "WOTH", weight: 2.5, london: 2, langs: "ro", childLang: 0.5, religion: "christian:90 none:10",
			boys: "Andrei Ionut Alexandru Stefan Gabriel Mihai David Luca Darius Rares", girls: "Maria Ioana Bianca Elena Andreea Alexia Sofia Daria Teodora Roxana",
			men: "Florin Marius Adrian Ciprian Cristian Dan", women: "Elena Mihaela Ana Gabriela Cristina Daniela",
			surnames: "Popescu Ionescu Popa Stan Dumitru Stoica Constantin Munteanu Rusu Lungu", mum: "Mama", dad: "Tata", nan: "Bunica"},
		{name: "Lithuanian", code: "WOTH", weight: 0.9, langs: "lt", childLang: 0.45, religion: "christian:80 none:20",
			boys: "Lukas Matas Jokubas Dominykas Nojus Kajus", girls: "Emilija Gabija Ugne Austeja Kamile Liepa",
			men: "Tomas Mindaugas Darius Andrius", women: "Ruta Jurgita Inga Laura",
			surnames: "Kazlauskas Petrauskas Jankauskas Stankevicius Vasiliauskas Zukauskas"},
		{name: "Portuguese", code: "WOTH", weight: 0.8, london: 3, langs: "pt", childLang: 0.4, religion: "christian:85 none:15",
			boys: "Tiago Rodrigo Diogo Goncalo Joao Rafael", girls: "Beatriz Mariana Leonor Matilde Ines Carolina",
			men: "Joao Carlos Paulo Rui Nuno", women: "Ana Maria Sandra Sofia Rita", surnames: "Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Martins"},
		{name: "Bulgarian", code: "WOTH", weight: 0.6, langs: "bg", childLang: 0.5, religion: "christian:80 none:15 muslim:5",
			boys: "Georgi Dimitar Ivan Nikolai Martin Aleksandar", girls: "Maria Viktoria Nikol Gergana Elena Yoana",
			men: "Ivan Georgi Petar Stoyan", women: "Maria Ivanka Desislava Tsvetelina", surnames: "Ivanov Petrov Georgiev Dimitrov Nikolov Todorov"},
		{name: "Albanian", code: "WOTH", weight: 1.0, london: 3, uasc: 8, langs: "sq", childLang: 0.55, religion: "muslim:55 none:25 christian:20",
			boys: "Arlind Klevis Ardit Erion Besnik Endrit Kevin Alban Dritan Elton", girls: "Ana Sara Klea Ajola Megi Era Bora Xhesika Arta Elira",
			men: "Arben Gentian Ilir Fatmir Besim", women: "Mimoza Drita Lindita Valbona Elona", surnames: "Hoxha Shehu Gashi Krasniqi Berisha Dervishi Kola Leka Prifti Marku"},
		{name: "Turkish", code: "WOTH", weight: 0.8, london: 4, langs: "tr", childLang: 0.45, religion: "muslim:85 none:15",
			boys: "Emir Yusuf Mehmet Ali Kerem Deniz", girls: "Elif Zeynep Ecem Defne Ayse Melek",
			men: "Mehmet Mustafa Ahmet Huseyin", women: "Ayse Fatma Emine Hatice", surnames: "Yilmaz Kaya Demir Celik Sahin Yildiz Ozturk Aydin", mum: "Anne", dad: "Baba"},
		// Mixed
		{name: "White and Black Caribbean", code: "MWBC", weight: 40, religion: "none:55 christian:40 other:5",
			boys: "Tyler Kai Jayden Malachi Riley Marley Kyrie Tyreece Reggie Ezra Jaden Kobe Mason Leon", girls: "Jada Nia Leah Amara Tia Skye Keira Aaliyah Kiara Mya Zara Lola Lacey Summer"},
		{name: "White and Black African", code: "MWBA", weight: 12, london: 1.5, religion: "christian:50 none:40 muslim:10",
			boys: "Kai Samuel Elijah Joel Zion Isaac Ethan Tobi Nathan Caleb", girls: "Amara Nia Zara Imani Chloe Ruby Naomi Hope Eliana Kemi"},
		{name: "White and Asian", code: "MWAS", weight: 15, religion: "none:45 muslim:35 christian:15 hindu:3 sikh:2",
			boys: "Zak Adam Rayan Kian Ayaan Jay Sami Ryan Ali Leon", girls: "Aaliyah Zara Maya Yasmin Layla Aisha Sienna Amira Leila Jasmine"},
		{name: "Other mixed", code: "MOTH", weight: 33, religion: "none:45 christian:30 muslim:22 other:3",
			boys: "Leo Adam Elias Karim Ryan Jaylen Omar Luca Kian Nico", girls: "Layla Maya Sofia Inaya Aria Noor Alina Leila Eva Mila"},
		// Asian
		{name: "Pakistani", code: "APKN", weight: 38, london: 0.5, langs: "ur pa", childLang: 0.12, religion: "muslim:95 none:5",
			boys: "Muhammad Ibrahim Ayaan Zain Hamza Yusuf Ali Bilal Musa Haris Umar Rehan Zayan Abdullah", girls: "Aisha Maryam Zara Hafsa Inaya Fatima Hania Eman Khadija Zainab Alisha Mariam Safa Ayesha",
			men: "Imran Tariq Asif Shahid Khalid Naveed Amjad Waseem", women: "Nasreen Shazia Samina Rubina Farzana Saima Nabila Shabana",
			surnames: "Khan Hussain Ahmed Iqbal Akhtar Ali Shah Mahmood Butt Rashid Riaz Qureshi", mum: "Ammi", dad: "Abbu", nan: "Nani"},
		{name: "Bangladeshi", code: "ABAN", weight: 18, london: 2.5, langs: "bn", childLang: 0.15, religion: "muslim:97 none:3",
			boys: "Mohammed Rayan Abdullah Imran Sami Ayaan Yahya Raiyan Tahmid Mahir", girls: "Sumaiya Tasnim Nusrat Ruqayyah Amira Safiya Tahmina Raisa Sadia Ayesha",
			men: "Abdul Shahidul Jamal Kamal Anwar Mizanur", women: "Rokeya Shamima Rahima Nazma Shirin Fahmida",
			surnames: "Miah Uddin Rahman Ahmed Islam Hossain Chowdhury Ali Khatun", mum: "Amma", dad: "Abba", nan: "Nani"},
		{name: "Indian Punjabi", code: "AIND", weight: 8, langs: "pa", childLang: 0.1, religion: "sikh:75 hindu:10 none:10 christian:5",
			boys: "Arjun Jasdeep Harjit Gurpreet Manveer Ravi Jaskaran Kiran Sukhraj Dev", girls: "Simran Jasleen Navneet Harleen Amrit Manpreet Priya Kiran Gurleen Ishpreet",
			men: "Harjinder Sukhwinder Balwinder Kulwant Jaswinder", women: "Harpreet Kulwinder Rajinder Parminder Sukhjit",
			surnames: "Singh Kaur Sandhu Gill Sidhu Dhillon Johal Bains", mum: "Mummy", dad: "Papa", nan: "Nani"},
		{name: "Indian Gujarati", code: "AIND", weight: 7, langs: "gu hi", childLang: 0.1, religion: "hindu:75 muslim:10 none:10 other:5",
			boys: "Aarav Rohan Dev Krish Jay Arjun Rahul Nikhil Vivaan Yash", girls: "Priya Anika Diya Kavya Isha Riya Pooja Meera Anaya Tanvi",
			men: "Rajesh Sanjay Nilesh Mahesh Dilip Vijay", women: "Hina Rekha Bhavna Nisha Jyoti Sunita",
			surnames: "Patel Shah Mistry Parmar Desai Joshi Solanki Chauhan", mum: "Mummy", dad: "Papa", nan: "Ba"},
		{name: "Afghan", code: "AOTH", weight: 10, uasc: 20, langs: "ps fa", childLang: 0.5, religion: "muslim:98 none:2",
			boys: "Ahmad Mohammad Hamid Omid Bilal Sardar Naweed Farid Zabihullah Abdul Mustafa Rahmat Samiullah Jawad Nasir", girls: "Zahra Mariam Fatima Parwana Sahar Nilofar Marzia Shabnam",
			men: "Abdul Gul Rahim Nazir Wahid", women: "Zarghona Nazia Fariba Malalai", surnames: "Ahmadi Rahimi Hashimi Noori Safi Stanekzai Popal Mohammadi"},
		{name: "Sri Lankan Tamil", code: "AOTH", weight: 4, london: 2, langs: "ta", childLang: 0.2, religion: "hindu:75 christian:20 none:5",
			boys: "Arun Karthik Thivakar Nirushan Sajeevan", girls: "Tharsika Nila Kavitha Abinaya Dharshini",
			men: "Kumar Suresh Rajan", women: "Vasuki Shanthi Malathi", surnames: "Sivakumar Rajendran Thevarajah Kandiah Selvarajah"},
		{name: "Nepali", code: "AOTH", weight: 2, langs: "ne", childLang: 0.2, religion: "hindu:60 buddhist:35 none:5",
			boys: "Aayush Bibek Suman Rohit Prabin", girls: "Asmita Sushma Anjali Puja Srijana",
			men: "Ram Hari Bishnu", women: "Sita Kamala Laxmi", surnames: "Gurung Rai Limbu Thapa Tamang"},
		{name: "Chinese", code: "CHNE", weight: 6, langs: "zh", childLang: 0.2, religion: "none:65 christian:20 buddhist:15",
			boys: "Jason Kevin Eric Ryan Hao Jun Wei Ethan Leo Oscar", girls: "Mei Lily Grace Yan Chloe Emily Jing Hannah Xin Kelly",
			men: "Wei Jun Ming Kwok", women: "Li Mei Ling Yan", surnames: "Wong Chan Li Cheung Lau Chen Ho Yeung"},
		{name: "Vietnamese", code: "AOTH", weight: 3, uasc: 7, langs: "vi", childLang: 0.5, religion: "none:50 buddhist:40 christian:10",
			boys: "Minh Tuan Duc Huy Nam Quang Long Thanh Hieu Khanh", girls: "Linh Trang Thao Ngoc Huong Mai",
			men: "Hung Dung Son", women: "Lan Hoa Thuy", surnames: "Nguyen Tran Le Pham Hoang Vu Dang"},
		// Black
		{name: "Nigerian", code: "BAFR", weight: 18, langs: "yo ig", childLang: 0.08, religion: "christian:85 muslim:10 none:5",
			boys: "Daniel David Emmanuel Samuel Joshua Tobi Ayo Chidi Femi Tunde Oluwaseun Ikenna Jayden Michael", girls: "Grace Blessing Precious Favour Esther Adaeze Ife Chioma Tolu Deborah Miracle Comfort Ruth Abigail",
			men: "Olu Chinedu Emeka Kunle Segun Babatunde", women: "Funmi Ngozi Bisi Adaeze Yetunde Chinwe",
			surnames: "Okafor Adeyemi Okonkwo Balogun Oyelaran Nwosu Adebayo Eze Ogunleye Obi"},
		{name: "Ghanaian", code: "BAFR", weight: 9, langs: "tw", childLang: 0.08, religion: "christian:90 muslim:7 none:3",
			boys: "Kwame Kofi Kwabena Kojo Nana Yaw Jeremiah Prince Emmanuel Isaac", girls: "Ama Akosua Abena Efua Adwoa Nana Gifty Priscilla Esi Mercy",
			men: "Kwesi Kwaku Kofi Samuel", women: "Akua Afia Comfort Gladys", surnames: "Mensah Owusu Boateng Asante Appiah Osei Agyeman Danquah"},
		{name: "Somali", code: "BAFR", weight: 11, uasc: 4, langs: "so", childLang: 0.35, religion: "muslim:99 none:1",
			boys: "Abdi Abdirahman Mahad Mohamed Ahmed Hassan Liban Yusuf Ayub Guled", girls: "Hodan Amina Fadumo Hibo Sagal Ikran Nasra Hamdi Ayan Sumaya",
			men: "Abdullahi Osman Farah Ali", women: "Halima Faduma Khadra Asha", surnames: "Mohamed Ahmed Hassan Farah Abdi Omar Warsame Jama", mum: "Hooyo", dad: "Aabo", nan: "Ayeeyo"},
		{name: "Eritrean", code: "BAFR", weight: 5, uasc: 15, langs: "ti", childLang: 0.5, religion: "christian:85 muslim:15",
			boys: "Yonas Filmon Daniel Yosief Merhawi Robel Samuel Semere Henok Biniam Mewael Kidane", girls: "Senait Helen Saba Selam Luwam Eden Feven Rahel",
			men: "Tesfay Gebre Mehari Haile", women: "Mebrat Tsega Abeba Letensae", surnames: "Tesfay Gebremedhin Haile Berhe Kidane Tekle Woldemichael Asmerom"},
		{name: "Sudanese", code: "BAFR", weight: 3, uasc: 15, langs: "ar", childLang: 0.45, religion: "muslim:97 christian:3",
			boys: "Mohamed Ahmed Osman Abdelrahman Musab Mujahid Abdalla Hamza Elfatih Adam Yasir Ibrahim", girls: "Reem Amna Sara Mawada Fatima Tasneem",
			men: "Osman Hassan Abdelaziz", women: "Awadia Hawa Nafisa", surnames: "Osman Abdalla Elhassan Adam Ibrahim Yousif Hamid Ali"},
		{name: "Ethiopian", code: "BAFR", weight: 2, uasc: 5, langs: "am om", childLang: 0.5, religion: "christian:75 muslim:25",
			boys: "Abel Dawit Natnael Yonatan Bereket Kaleb Tewodros", girls: "Hana Meron Bethlehem Selam Tigist",
			men: "Tesfaye Girma Alemu", women: "Almaz Tigist Meseret", surnames: "Tadesse Bekele Alemu Getachew Mengistu Haile"},
		{name: "Congolese", code: "BAFR", weight: 5, langs: "fr ln", childLang: 0.25, religion: "christian:95 none:5",
			boys: "Exauce Christian Glody Benedict Patrick Junior Jordan Tresor", girls: "Merveille Grace Divine Esther Gloire Prisca Joyce",
			men: "Jean Patrick Pierre Didier", women: "Marie Chantal Beatrice Josephine", surnames: "Mbala Kabongo Lukusa Ilunga Tshibangu Mukendi Kasongo"},
		{name: "Zimbabwean", code: "BAFR", weight: 5, langs: "sn", childLang: 0.1, religion: "christian:90 none:10",
			boys: "Tinashe Tatenda Takudzwa Kudzai Tafadzwa Simba Nigel", girls: "Rutendo Chipo Tariro Nyasha Rumbidzai Ruvimbo",
			men: "Farai Tendai Tapiwa", women: "Chiedza Nyarai Sekai", surnames: "Moyo Ncube Dube Sibanda Chikwanha Mutasa Ndlovu Banda"},
		{name: "Caribbean", code: "BCRB", weight: 25, religion: "christian:55 none:40 other:5",
			boys: "Tyrese Jermaine Marcus Kayden Andre Jaheim Tyrone Kyrie Reuben Nathaniel Malakai Jaden", girls: "Shanice Tianna Keisha Jada Aaliyah Shania Kiara Nia Jasmine Tiana Abigail Renae",
			men: "Delroy Winston Errol Clive Leroy Trevor", women: "Marcia Yvonne Paulette Sonia Beverley Hyacinth",
			surnames: "Campbell Brown Williams Thomas Francis Morgan Grant Clarke Reid Bailey"},
		{name: "Black British", code: "BOTH", weight: 17, religion: "christian:60 none:35 muslim:5",
			boys: "Jayden Kai Elijah Isaiah Malachi Joshua Zion Reuben Tobi Marcus", girls: "Nia Amara Zara Jada Naomi Imani Kemi Aaliyah Nevaeh Tiana",
			men: "Delroy Marcus Andre Samuel Dwayne", women: "Marcia Grace Michelle Sonia Patrice", surnames: "Campbell Francis Grant Reid Mensah Okafor Williams"},
		// Other
		{name: "Arab", code: "OOTH", weight: 25, uasc: 6, langs: "ar", childLang: 0.45, religion: "muslim:90 christian:10",
			boys: "Omar Khaled Yazan Ahmad Youssef Karim Mohammed Adam Hamza Ziad", girls: "Layla Nour Rania Salma Yasmin Lina Hala Mariam",
			men: "Ahmad Khaled Walid Samir", women: "Rana Huda Samira Amal", surnames: "Haddad Saleh Mansour Nasser Khalil Hamdan Yousef Abbas", mum: "Mama", dad: "Baba", nan: "Teta"},
		{name: "Syrian", code: "OOTH", weight: 8, uasc: 5, langs: "ar", childLang: 0.5, religion: "muslim:95 christian:5",
			boys: "Yazan Mohammad Ahmad Omar Abdulrahman Khaled Ammar Tarek", girls: "Rahaf Sham Nour Hala Joud",
			men: "Mahmoud Bassam Fadi", women: "Rasha Lama Ghada", surnames: "Al-Ahmad Haj Hamwi Halabi Darwish Kassab", mum: "Mama", dad: "Baba", nan: "Teta"},
		{name: "Kurdish", code: "OOTH", weight: 22, uasc: 7, langs: "ku ar", childLang: 0.5, religion: "muslim:90 none:10",
			boys: "Aram Karwan Hiwa Dilan Rebin Shvan Hemin Rekar Zhyar Bawan Soran Aso", girls: "Dilan Hana Shilan Rozhin Lana Nazdar Zhino",
			men: "Kamal Rebwar Hama Saman", women: "Shirin Nasrin Kazhal", surnames: "Ahmed Rasul Hama Karim Aziz Qadir Mahmoud Salih", mum: "Daya", dad: "Baba"},
		{name: "Iranian", code: "OOTH", weight: 13, uasc: 8, langs: "fa ku", childLang: 0.5, religion: "muslim:75 none:15 christian:7 other:3",
			boys: "Amir Reza Ali Mehdi Arash Sina Hossein Mohammad Kian Arian Parsa", girls: "Sara Maryam Yasmin Shirin Nazanin Parisa Negin Ava",
			men: "Hassan Majid Farhad Behrouz", women: "Fatemeh Zahra Mina Leila", surnames: "Hosseini Mohammadi Karimi Rezaei Jafari Ahmadi Moradi Rahimi", mum: "Maman", dad: "Baba"},
		{name: "Latin American", code: "OOTH", weight: 12, london: 2, langs: "es pt", childLang: 0.3, religion: "christian:85 none:15",
			boys: "Mateo Santiago Sebastian Diego Daniel Samuel Gabriel Juan", girls: "Valentina Sofia Camila Isabella Mariana Daniela Lucia Gabriela",
			men: "Carlos Luis Jorge Andres", women: "Ana Claudia Paola Luz", surnames: "Garcia Rodriguez Martinez Lopez Gomez Hernandez Torres Ramirez", mum: "Mama", dad: "Papa"},
		{name: "Filipino", code: "OOTH", weight: 8, langs: "tl", childLang: 0.2, religion: "christian:95 none:5",
			boys: "Ethan Nathan Joshua Miguel Jayden Angelo", girls: "Angel Princess Nicole Althea Bea Jasmine",
			men: "Jose Rommel Arnel", women: "Maria Rowena Jocelyn", surnames: "Santos Reyes Cruz Bautista Mendoza Villanueva", mum: "Mama", dad: "Papa", nan: "Lola"},
		// Not recorded
		{name: "Not recorded", code: "NOBT", weight: 60, religion: "none:60 christian:40",
			boys: britishBoys, girls: britishGirls, youngBoys: britishYoungBoys, youngGirls: britishYoungGirls},
		{name: "Refused", code: "REFU", weight: 40, religion: "none:60 christian:40",
			boys: britishBoys, girls: britishGirls, youngBoys: britishYoungBoys, youngGirls: britishYoungGirls},
	}
}

// heritage is a parsed heritageSpec.
type heritage struct {
	name                  string
	code                  catalogue.Ethnicity
	group                 catalogue.EthnicGroup
	weight, london, uasc  float64
	langs                 []string
	childLang             float64
	religion              table[catalogue.Religion]
	boys, girls           []string
	youngBoys, youngGirls []string
	men, women, surnames  []string
	oldMen, oldWomen      []string
	mum, dad, nan         string
}

func parseHeritages() []heritage {
	specs := heritageSpecs()
	out := make([]heritage, len(specs))
	or := func(s, def string) string {
		if s == "" {
			return def
		}
		return s
	}
	for i, s := range specs {
		h := heritage{
			name: s.name, code: s.code, group: s.code.Group(), weight: s.weight, london: s.london, uasc: s.uasc,
			langs: strings.Fields(s.langs), childLang: s.childLang,
			boys: strings.Fields(s.boys), girls: strings.Fields(s.girls),
			youngBoys: strings.Fields(or(s.youngBoys, s.boys)), youngGirls: strings.Fields(or(s.youngGirls, s.girls)),
			men: strings.Fields(or(s.men, britishMen)), women: strings.Fields(or(s.women, britishWomen)),
			surnames: strings.Fields(or(s.surnames, britishSurnames)),
			mum:      or(s.mum, "Mum"), dad: or(s.dad, "Dad"), nan: or(s.nan, "Nan"),
		}
		if h.london == 0 {
			h.london = 1
		}
		if s.men == "" {
			h.oldMen, h.oldWomen = strings.Fields(britishOldMen), strings.Fields(britishOldWomen)
		} else {
			h.oldMen, h.oldWomen = h.men, h.women
		}
		for _, f := range strings.Fields(s.religion) {
			name, w, _ := strings.Cut(f, ":")
			x, err := strconv.ParseFloat(w, 64)
			if err != nil {
				x = 1
			}
			h.religion.add(catalogue.Religion(name), x)
		}
		out[i] = h
	}
	return out
}
